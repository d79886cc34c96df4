import pytest

from portal.core.audit import audit_history, audit_log
from portal.core.models import AuditEntry
from tests.factories import (
    AchievementFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    city_reviewed_applications,
)

pytestmark = pytest.mark.django_db


def test_audit_entries_are_append_only():
    entry = audit_log(action="portal.test.done", target=OrganizationFactory())
    entry.reason = "rewritten"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()
    assert AuditEntry.objects.get().reason == ""


def test_history_is_the_objects_own_entries_oldest_first():
    org, other = OrganizationFactory(), OrganizationFactory()
    user = UserFactory()
    audit_log(action="a.first", actor=user, target=org, from_status="x", to_status="y")
    audit_log(action="a.other", target=other)
    audit_log(action="a.second", target=org, reason="因为")
    assert [e.action for e in audit_history(org)] == ["a.first", "a.second"]
    first = audit_history(org)[0]
    assert (first.actor, first.from_status, first.to_status) == (user, "x", "y")


@pytest.mark.parametrize(
    ("path", "expected_action"),
    [
        ("/api/v1/achievements/{achievement}/approve/", "achievements.achievement.published"),
        ("/api/v1/subsidies/{subsidy}/approve/", "contracts.subsidyapplication.approved"),
    ],
)
def test_a_review_through_the_api_is_audited_with_reviewer_time_and_address(
    api, path, expected_action
):
    achievement = AchievementFactory(status="pending")
    _program, _buyer, [subsidy] = city_reviewed_applications(1, "100000.00")
    staff = StaffFactory()
    api.force_authenticate(staff)
    url = path.format(achievement=achievement.pk, subsidy=subsidy.pk)
    assert api.post(url, REMOTE_ADDR="198.51.100.23").status_code == 200
    entry = AuditEntry.objects.get(action=expected_action)
    assert (entry.actor, entry.ip) == (staff, "198.51.100.23")
    assert entry.at is not None and entry.to_status in expected_action
