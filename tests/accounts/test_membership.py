"""Membership by consent (issue 13, finding 1): typing a verified organisation's
public credit code at sign-up used to make the account a full member at once.
Now it asks to join; the organisation's administrators (or staff in scope)
decide; until then the account acts for nobody."""

import datetime
import importlib

import pytest
from django.apps import apps

from accounts.models import Market, Membership, User
from contracts.models import RewardDistribution, SubsidyApplication
from portal.core.models import AuditEntry, Notification
from tests.factories import (
    PASSWORD,
    AchievementFactory,
    ContractFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    api_token,
    member_of,
)
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"


def register(api, org, username="stranger"):
    return api.post(
        REGISTER,
        {
            "username": username,
            "password": PASSWORD,
            "email": f"{username}@example.cn",
            "organization": {"credit_code": org.credit_code},
        },
        format="json",
    )


def signed_in(api, username):
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(User.objects.get(username=username))}")


@pytest.fixture
def university():
    """A verified university with its administrator, a draft, a published
    achievement, and a registered contract with a payment and a reward."""
    org = OrganizationFactory(kind="university", region_code="420111")
    admin = member_of(org, username="officer")
    draft = AchievementFactory(organization=org, status="draft")
    published = AchievementFactory(organization=org, status="published")
    contract = ContractFactory(seller=org)
    payment = PaymentFactory(contract=contract)
    RewardDistribution.objects.create(
        contract=contract, net_income="100.00", team_ratio="0.80", shares=[]
    )
    return {
        "org": org,
        "admin": admin,
        "draft": draft,
        "published": published,
        "contract": contract,
        "payment": payment,
    }


def test_a_known_credit_code_only_asks_to_join(api, university):
    response = register(api, university["org"])
    assert response.status_code == 201
    body = response.json()
    assert body["membership"] == "pending"
    assert body["organization"]["id"] == university["org"].pk
    stranger = User.objects.get(username="stranger")
    assert stranger.organization is None
    membership = Membership.objects.get(user=stranger)
    assert (membership.status, membership.role) == ("pending", "member")
    # The organisation's administrator is told, and the request is audited.
    assert Notification.objects.filter(
        user=university["admin"], kind="accounts.membership.requested"
    ).exists()
    assert AuditEntry.objects.filter(action="accounts.membership.requested").exists()


def test_a_pending_account_can_do_nothing_the_outsider_did(api, client, university):
    """Each thing the outsider did as a stranger, refused as a 404 (or 403 for
    what is public)."""
    register(api, university["org"])
    signed_in(api, "stranger")
    contract, payment = university["contract"], university["payment"]
    assert api.get(f"/api/v1/achievements/{university['draft'].pk}/").status_code == 404
    assert api.get(f"/api/v1/contracts/{contract.pk}/").status_code == 404
    assert api.get(f"/api/v1/contracts/{contract.pk}/reward/").status_code == 404
    assert (
        api.put(
            f"/api/v1/contracts/{contract.pk}/reward/",
            {"net_income": "1.00", "team_ratio": "0.70", "shares": [{"name": "x", "ratio": "1"}]},
            format="json",
        ).status_code
        == 404
    )
    assert (
        api.post(f"/api/v1/achievements/{university['published'].pk}/withdraw/").status_code == 403
    )
    assert api.get("/api/v1/contracts/?page_size=100").json()["count"] == 0
    client.force_login(User.objects.get(username="stranger"))
    assert client.get(f"/contracts/{contract.pk}/document/download/").status_code == 404
    assert client.get(f"/contracts/payments/{payment.pk}/evidence/").status_code == 404
    university["published"].refresh_from_db()
    assert university["published"].status == "published"


def test_a_pending_enterprise_account_cannot_apply_for_the_subsidy(api):
    enterprise = OrganizationFactory(kind="enterprise", region_code="420111")
    member_of(enterprise)
    PaymentFactory(contract=ContractFactory(buyer=enterprise))
    program = ProgramFactory()
    register(api, enterprise)
    signed_in(api, "stranger")
    assert api.post("/api/v1/subsidies/", {"program": program.pk}, format="json").status_code == 403
    assert not SubsidyApplication.objects.exists()


def test_the_administrator_approves_with_a_role_and_it_is_audited(api, university):
    register(api, university["org"])
    stranger = User.objects.get(username="stranger")
    org = university["org"]
    signed_in(api, "officer")
    listed = api.get(f"/api/v1/organizations/{org.pk}/members/").json()["results"]
    assert {m["username"]: m["status"] for m in listed} == {
        "stranger": "pending",
        "officer": "active",
    }
    bad = api.post(
        f"/api/v1/organizations/{org.pk}/members/{stranger.pk}/approve/",
        {"role": "owner"},
        format="json",
    )
    assert bad.status_code == 400 and "role" in bad.json()
    approved = api.post(
        f"/api/v1/organizations/{org.pk}/members/{stranger.pk}/approve/",
        {"role": "reader"},
        format="json",
    )
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["role"]) == ("active", "reader")
    again = api.post(f"/api/v1/organizations/{org.pk}/members/{stranger.pk}/approve/")
    assert again.status_code == 409
    entry = AuditEntry.objects.get(action="accounts.membership.active")
    assert (entry.actor, entry.from_status, entry.to_status) == (
        university["admin"],
        "pending",
        "active",
    )
    assert Notification.objects.filter(user=stranger, kind="accounts.membership.approved").exists()
    stranger.refresh_from_db()
    assert stranger.organization == org


def test_a_reader_reads_the_drafts_but_writes_nothing(api, university):
    reader = member_of(university["org"], role="reader")
    api.force_authenticate(reader)
    draft = university["draft"]
    assert api.get(f"/api/v1/achievements/{draft.pk}/").status_code == 200
    assert api.post(f"/api/v1/achievements/{draft.pk}/submit/").status_code == 403
    assert (
        api.patch(f"/api/v1/achievements/{draft.pk}/", {"title": "改名"}, format="json").status_code
        == 403
    )
    created = api.post(
        "/api/v1/achievements/",
        {
            "title": "新成果",
            "summary": "简介",
            "tech_field": "energy",
            "trl": 5,
            "transfer_modes": ["transfer"],
        },
        format="json",
    )
    assert created.status_code == 403
    assert api.get(f"/api/v1/contracts/{university['contract'].pk}/").status_code == 200


def test_only_administrators_and_staff_in_scope_see_and_decide(api, university):
    register(api, university["org"])
    stranger = User.objects.get(username="stranger")
    org = university["org"]
    url = f"/api/v1/organizations/{org.pk}/members/"
    for outsider in (
        member_of(org, role="member"),  # a member, not an administrator
        member_of(OrganizationFactory()),
        StaffFactory(staff_market=Market.objects.get(code="yichang")),  # another market
        stranger,
    ):
        api.force_authenticate(outsider)
        assert api.get(url).status_code == 404
        assert api.post(f"{url}{stranger.pk}/approve/").status_code == 404
    api.force_authenticate(StaffFactory())  # central staff
    assert (
        api.post(f"{url}{stranger.pk}/refuse/", {"reason": "不认识"}, format="json").json()[
            "status"
        ]
        == "removed"
    )
    assert AuditEntry.objects.filter(action="accounts.membership.refused", reason="不认识").exists()
    stranger.refresh_from_db()
    assert stranger.organization is None


def test_the_administrator_of_an_unverified_organisation_cannot_admit_yet(api):
    org = OrganizationFactory(verified=False)
    admin = member_of(org)
    register(api, org)
    stranger = User.objects.get(username="stranger")
    api.force_authenticate(admin)
    response = api.post(f"/api/v1/organizations/{org.pk}/members/{stranger.pk}/approve/")
    assert response.status_code == 404
    # Staff of its market can; verifying it confirms its first administrator.
    staff = StaffFactory()
    api.force_authenticate(staff)
    assert api.post(f"/api/v1/organizations/{org.pk}/verify/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.membership.confirmed", actor=staff).exists()
    api.force_authenticate(admin)
    response = api.post(f"/api/v1/organizations/{org.pk}/members/{stranger.pk}/approve/")
    assert response.status_code == 200


def test_removal_ends_acting_reading_and_tokens(api, university):
    member = member_of(university["org"], role="member")
    token = api_token(member)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/v1/achievements/{university['draft'].pk}/").status_code == 200
    api.credentials()
    api.force_authenticate(university["admin"])
    url = f"/api/v1/organizations/{university['org'].pk}/members/{member.pk}/remove/"
    assert api.post(url, {"reason": "离职"}, format="json").json()["status"] == "removed"
    api.force_authenticate(None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").status_code == 401
    member.refresh_from_db()
    assert member.organization is None


def test_the_last_administrator_stays_unless_staff_remove_them(api, university):
    admin, org = university["admin"], university["org"]
    api.force_authenticate(admin)
    base = f"/api/v1/organizations/{org.pk}/members/{admin.pk}/"
    demoted = api.post(f"{base}role/", {"role": "member"}, format="json")
    assert demoted.status_code == 400 and "role" in demoted.json()
    assert api.post(f"{base}remove/").status_code == 400
    second = member_of(org, role="member")
    promoted = api.post(
        f"/api/v1/organizations/{org.pk}/members/{second.pk}/role/",
        {"role": "administrator"},
        format="json",
    )
    assert promoted.json()["role"] == "administrator"
    assert AuditEntry.objects.filter(
        action="accounts.membership.role_changed", data__to="administrator"
    ).exists()
    assert api.post(f"{base}role/", {"role": "member"}, format="json").status_code == 200


def test_the_members_page_approves_a_request(client, api, university):
    register(api, university["org"])
    stranger = User.objects.get(username="stranger")
    client.force_login(university["admin"])
    page = client.get("/accounts/members/").content.decode()
    assert 'data-member="stranger"' in page
    membership = Membership.objects.get(user=stranger)
    response = client.post(
        "/accounts/members/",
        {"membership": membership.pk, "action": "approve", "role": "member"},
        follow=True,
    )
    assert "已完成" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == "active"
    client.force_login(member_of(OrganizationFactory()))
    assert client.get(f"/accounts/organizations/{university['org'].pk}/members/").status_code == 403


def test_existing_accounts_migrate_as_members_the_first_an_administrator():
    org = OrganizationFactory()
    first = member_of(org)
    second = member_of(org)
    first.date_joined = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    first.save()
    Membership.objects.all().delete()
    migration = importlib.import_module("accounts.migrations.0003_memberships_and_tokens")
    migration.memberships_from_accounts(apps, None)
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {first.username: "administrator", second.username: "member"}
    assert set(Membership.objects.values_list("status", flat=True)) == {"active"}


def test_a_pending_account_uploads_nothing(api, university):
    register(api, university["org"])
    signed_in(api, "stranger")
    response = api.post(
        f"/api/v1/achievements/{university['draft'].pk}/attachments/",
        {"file": [upload("x.pdf", PDF)]},
        format="multipart",
    )
    assert response.status_code == 404
