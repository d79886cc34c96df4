import pytest

from portal.audit import audit_history, audit_log
from portal.models import AuditEntry
from tests.factories import OrganizationFactory, UserFactory

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
