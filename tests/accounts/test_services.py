import pytest
from django.core.exceptions import ValidationError

from accounts.models import Market, Organization, User
from accounts.services import (
    market_for_region,
    organization_verify,
    organizations_reassign_markets,
    staff_create,
    user_register,
)
from portal.core.errors import NotPermitted
from portal.core.models import AuditEntry
from tests.factories import PASSWORD, OrganizationFactory, StaffFactory, credit_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("region", "market"),
    [
        ("420111", "wuhan"),  # Wuhan itself
        ("420600", "xiangyang"),
        ("420684", "xiangyang"),  # a county-level city of Xiangyang
        ("420506", "yichang"),
        ("420881", "wuhan"),  # Jingmen has no market of its own (yet)
        ("429004", "wuhan"),
        ("440305", "wuhan"),  # outside Hubei
    ],
)
def test_region_decides_the_market(region, market):
    assert market_for_region(region).code == market


def test_a_new_sub_market_takes_its_city_and_the_most_specific_market_wins():
    Market.objects.create(code="jingmen", name="荆门分市场", level="sub", area_code="420800")
    Market.objects.create(code="zhongxiang", name="钟祥分市场", level="sub", area_code="420881")
    assert market_for_region("420802").code == "jingmen"
    assert market_for_region("420881").code == "zhongxiang"


def test_reassigning_markets_moves_organisations_into_a_new_sub_market():
    org = OrganizationFactory(region_code="420802")
    other = OrganizationFactory(region_code="420111")
    assert org.market.code == "wuhan"
    Market.objects.create(code="jingmen", name="荆门分市场", level="sub", area_code="420800")
    assert organizations_reassign_markets() == 1
    assert organizations_reassign_markets() == 0  # idempotent
    org.refresh_from_db()
    other.refresh_from_db()
    assert (org.market.code, other.market.code) == ("jingmen", "wuhan")


def _org_data(**overrides):
    data = {
        "name": "武汉新材科技有限公司",
        "kind": "enterprise",
        "credit_code": credit_code(1),
        "region_code": "420111",
    }
    return {**data, **overrides}


def test_registering_creates_an_unverified_organisation_in_its_market():
    user = user_register(
        username="alice",
        password=PASSWORD,
        email="a@example.cn",
        organization=_org_data(region_code="420602"),
    )
    assert user.organization.verified is False
    assert user.organization.market.code == "xiangyang"
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.user.registered").count() == 1


def test_registering_with_a_known_credit_code_only_asks_to_join_that_organisation():
    org = OrganizationFactory()
    user = user_register(
        username="bob",
        password=PASSWORD,
        email="b@example.cn",
        organization={"credit_code": org.credit_code.lower()},
    )
    assert user.organization is None  # acts for nobody until admitted
    assert user.membership.organization == org and user.membership.status == "pending"
    assert Organization.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        (
            {"organization": _org_data(credit_code=credit_code(1)[:-1] + "0")},
            "organization.credit_code",
        ),
        ({"organization": _org_data(region_code="420199")}, "organization.region_code"),
        ({"organization": _org_data(kind="bank")}, "organization.kind"),
        ({"organization": _org_data(name="")}, "organization.name"),
        ({"password": "12345678"}, "password"),
        ({"username": "taken"}, "username"),
    ],
)
def test_bad_registrations_say_why_and_create_nothing(kwargs, field):
    User.objects.create_user("taken", password=PASSWORD)
    args = {
        "username": "carol",
        "password": PASSWORD,
        "email": "c@example.cn",
        "organization": _org_data(),
        **kwargs,
    }
    with pytest.raises(ValidationError) as exc:
        user_register(**args)
    assert field in exc.value.message_dict
    assert User.objects.count() == 1
    assert Organization.objects.count() == 0


def test_staff_verify_organisations_in_their_scope_only():
    org = OrganizationFactory(region_code="420602", verified=False)
    yichang = StaffFactory(staff_market=Market.objects.get(code="yichang"))
    with pytest.raises(NotPermitted):
        organization_verify(organization=org, by=yichang)
    org.refresh_from_db()
    assert not org.verified

    xiangyang = StaffFactory(staff_market=Market.objects.get(code="xiangyang"))
    organization_verify(organization=org, by=xiangyang)
    org.refresh_from_db()
    assert org.verified and org.verified_at is not None
    entry = AuditEntry.objects.get(action="accounts.organization.verified")
    assert (entry.actor, entry.from_status, entry.to_status) == (
        xiangyang,
        "unverified",
        "verified",
    )


def test_central_staff_verify_everywhere():
    org = OrganizationFactory(region_code="420506", verified=False)
    organization_verify(organization=org, by=StaffFactory())
    org.refresh_from_db()
    assert org.verified


def test_a_member_cannot_verify_even_their_own_organisation():
    org = OrganizationFactory(verified=False)
    member = User.objects.create_user("m", password=PASSWORD, organization=org)
    with pytest.raises(NotPermitted):
        organization_verify(organization=org, by=member)


def test_staff_create_gives_a_market_scope():
    user = staff_create(username="s1", password=PASSWORD, market_code="xiangyang")
    assert user.roles == ["staff"]
    central = staff_create(username="s2", password=PASSWORD, market_code="wuhan")
    assert central.roles == ["staff", "central_staff"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"market_code": "atlantis"}, "market"), ({"password": "short"}, "password")],
)
def test_staff_create_refuses_bad_input(kwargs, field):
    args = {"username": "s1", "password": PASSWORD, "market_code": "wuhan", **kwargs}
    with pytest.raises(ValidationError) as exc:
        staff_create(**args)
    assert field in exc.value.message_dict
    assert not User.objects.exists()
