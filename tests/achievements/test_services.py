from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import Market
from achievements import services
from achievements.models import Achievement
from portal.core.errors import NotPermitted, TransitionNotAllowed
from portal.core.models import AuditEntry, Notification
from tests.factories import AchievementFactory, OrganizationFactory, StaffFactory, member_of

pytestmark = pytest.mark.django_db

VALID = {
    "title": "石墨烯高导热散热膜",
    "summary": "面向5G基站的石墨烯散热膜。",
    "description": "",
    "tech_field": "materials",
    "industries": ["materials"],
    "keywords": ["石墨烯", "散热"],
    "trl": 6,
    "completers": ["张三"],
    "patents": ["ZL202110123456.7"],
    "transfer_modes": ["transfer", "license"],
    "pricing_mode": "negotiated",
    "asking_price": None,
}


@pytest.fixture
def university():
    return OrganizationFactory(kind="university", region_code="420111")


@pytest.fixture
def officer(university):
    return member_of(university, email="officer@example.cn")


def test_a_member_creates_a_draft_of_their_own_organisation(officer):
    item = services.achievement_create(by=officer, data=VALID)
    assert item.status == "draft"
    assert item.organization == officer.organization
    assert item.created_by == officer


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tech_field": "alchemy"}, "tech_field"),
        ({"trl": 0}, "trl"),
        ({"trl": 10}, "trl"),
        ({"patents": ["ZL202110123456.8"]}, "patents"),  # wrong check digit
        ({"patents": ["US1234567"]}, "patents"),
        ({"asking_price": Decimal("-1.00")}, "asking_price"),
        ({"pricing_mode": "listed", "asking_price": None}, "asking_price"),
        ({"transfer_modes": []}, "transfer_modes"),
        ({"summary": "长" * 501}, "summary"),
        ({"industries": ["steam_engines"]}, "industries"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_saved(officer, change, field):
    with pytest.raises(ValidationError) as exc:
        services.achievement_create(by=officer, data={**VALID, **change})
    assert field in exc.value.message_dict
    assert not Achievement.objects.exists()


def test_patent_numbers_are_normalised(officer):
    item = services.achievement_create(
        by=officer, data={**VALID, "patents": ["zl 2021 1 0123456.7", "CN112345678B"]}
    )
    assert item.patents == ["ZL202110123456.7", "CN112345678B"]


def test_agencies_and_governments_cannot_publish_achievements():
    broker_org = OrganizationFactory(kind="agency")
    with pytest.raises(NotPermitted):
        services.achievement_create(by=member_of(broker_org), data=VALID)


def test_the_whole_lifecycle_is_audited_and_the_owner_notified(
    officer, university, django_capture_on_commit_callbacks
):
    staff = StaffFactory()  # central
    item = services.achievement_create(by=officer, data=VALID)
    services.achievement_submit(achievement=item, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.achievement_reject(achievement=item, by=staff, reason="缺少专利证书")
    item.refresh_from_db()
    assert (item.status, item.reject_reason) == ("rejected", "缺少专利证书")

    services.achievement_update(achievement=item, by=officer, data={"summary": "补充后的简介"})
    services.achievement_submit(achievement=item, by=officer)
    item.refresh_from_db()
    assert item.reject_reason == ""
    with django_capture_on_commit_callbacks(execute=True):
        services.achievement_approve(achievement=item, by=staff)
    services.achievement_withdraw(achievement=item, by=officer)
    item.refresh_from_db()
    assert item.status == "withdrawn" and item.published_at is not None

    trail = [
        (e.from_status, e.to_status, e.actor)
        for e in AuditEntry.objects.filter(
            object_id=str(item.pk), action__startswith="achievements."
        ).order_by("id")
    ]
    assert trail == [
        ("", "draft", officer),  # created
        ("draft", "pending", officer),
        ("pending", "rejected", staff),
        ("rejected", "rejected", officer),  # edited
        ("rejected", "pending", officer),
        ("pending", "published", staff),
        ("published", "withdrawn", officer),
    ]
    rejection = AuditEntry.objects.get(from_status="pending", to_status="rejected")
    assert rejection.reason == "缺少专利证书"
    kinds = list(Notification.objects.filter(user=officer).values_list("kind", flat=True))
    assert sorted(kinds) == [
        "achievements.achievement.approved",
        "achievements.achievement.rejected",
    ]
    assert len(mail.outbox) == 2 and "缺少专利证书" in mail.outbox[0].body


def test_an_unverified_organisation_keeps_drafts_but_cannot_submit():
    org = OrganizationFactory(kind="university", verified=False)
    officer = member_of(org)
    item = services.achievement_create(by=officer, data=VALID)
    with pytest.raises(NotPermitted):
        services.achievement_submit(achievement=item, by=officer)
    item.refresh_from_db()
    assert item.status == "draft"


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("published", "submit"),
        ("withdrawn", "approve"),
        ("pending", "withdraw"),
        ("rejected", "approve"),
    ],
)
def test_transitions_the_status_does_not_allow_are_refused(university, officer, status, action):
    item = AchievementFactory(organization=university, status=status)
    staff = StaffFactory()
    calls = {
        "approve": lambda: services.achievement_approve(achievement=item, by=staff),
        "submit": lambda: services.achievement_submit(achievement=item, by=officer),
        "withdraw": lambda: services.achievement_withdraw(achievement=item, by=officer),
    }
    with pytest.raises(TransitionNotAllowed):
        calls[action]()
    item.refresh_from_db()
    assert item.status == status
    assert not AuditEntry.objects.exists()


def test_staff_review_only_their_markets_items():
    xiangyang_item = AchievementFactory(
        organization=OrganizationFactory(kind="university", region_code="420602"),
        status="pending",
    )
    yichang = StaffFactory(staff_market=Market.objects.get(code="yichang"))
    with pytest.raises(NotPermitted):
        services.achievement_approve(achievement=xiangyang_item, by=yichang)
    services.achievement_approve(
        achievement=xiangyang_item,
        by=StaffFactory(staff_market=Market.objects.get(code="xiangyang")),
    )
    xiangyang_item.refresh_from_db()
    assert xiangyang_item.status == "published"


def test_a_rejection_needs_a_reason(university):
    item = AchievementFactory(organization=university, status="pending")
    with pytest.raises(ValidationError) as exc:
        services.achievement_reject(achievement=item, by=StaffFactory(), reason="  ")
    assert "reason" in exc.value.message_dict
    item.refresh_from_db()
    assert item.status == "pending"


def test_another_organisation_cannot_edit_or_submit(university):
    item = AchievementFactory(organization=university)
    stranger = member_of(OrganizationFactory(kind="university"))
    with pytest.raises(NotPermitted):
        services.achievement_update(achievement=item, by=stranger, data={"title": "改"})
    with pytest.raises(NotPermitted):
        services.achievement_submit(achievement=item, by=stranger)


def test_published_items_cannot_be_edited(university, officer):
    item = AchievementFactory(organization=university, status="published")
    with pytest.raises(TransitionNotAllowed):
        services.achievement_update(achievement=item, by=officer, data={"title": "改"})


def test_only_drafts_can_be_deleted(university, officer):
    pending = AchievementFactory(organization=university, status="pending")
    with pytest.raises(TransitionNotAllowed):
        services.achievement_delete(achievement=pending, by=officer)
    draft = AchievementFactory(organization=university)
    services.achievement_delete(achievement=draft, by=officer)
    assert list(Achievement.objects.all()) == [pending]
