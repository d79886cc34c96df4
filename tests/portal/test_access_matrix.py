"""The access-control matrix: every role × every object type × every action,
against the written expectation table below.

The world: a university U and an enterprise E in Yichang, another enterprise X
in Xiangyang; U's achievements and E's demands in each status; a contract
between them brokered by B; E's subsidy applications; a pending payment.

Rules the table encodes (docs/reliability.md):
- what one may not see is a 404, never a 403 (its existence is not revealed);
- what one may see but not do is a 403; anonymous writes are a 401;
- lists show exactly what the detail pages would show (checked for every role);
- owner, organisation, status and computed money fields cannot be written.
"""

import pytest

from accounts.models import Market, Organization
from contracts import services as contract_services
from contracts.models import Contract, SubsidyApplication
from portal.core.attachments import attachments_add
from tests.factories import (
    AchievementFactory,
    BrokerFactory,
    ContractFactory,
    DemandFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    UserFactory,
    api_token,
    member_of,
)
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db

ROLES = ["anon", "univ", "ent", "other", "broker", "city_in", "city_out", "central", "admin"]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    yichang = "420502"
    univ = OrganizationFactory(kind=Organization.Kind.UNIVERSITY, region_code=yichang)
    ent = OrganizationFactory(kind=Organization.Kind.ENTERPRISE, region_code=yichang)
    other = OrganizationFactory(kind=Organization.Kind.ENTERPRISE, region_code="420602")
    users = {
        "anon": None,
        "univ": member_of(univ),
        "ent": member_of(ent),
        "other": member_of(other),
        "broker": BrokerFactory(),
        "city_in": StaffFactory(staff_market=Market.objects.get(code="yichang")),
        "city_out": StaffFactory(staff_market=Market.objects.get(code="xiangyang")),
        "central": StaffFactory(),
        "admin": UserFactory(is_superuser=True, is_staff=True, organization=None),
    }
    objects = {}
    for status in ("draft", "pending", "published"):
        objects[f"achievement_{status}"] = AchievementFactory(organization=univ, status=status)
        objects[f"demand_{status}"] = DemandFactory(organization=ent, status=status)
    [objects["attachment"]] = attachments_add(
        target=objects["achievement_draft"], files=[upload("说明.pdf", PDF)], by=users["univ"]
    )
    contract = dict(buyer=ent, seller=univ, broker=users["broker"], registration_number=None)
    objects["contract_draft"] = ContractFactory(status="draft", **contract)
    objects["contract_submitted"] = ContractFactory(status="submitted", **contract)
    registered = ContractFactory(buyer=ent, seller=univ, broker=users["broker"])
    objects["payment_pending"] = PaymentFactory(contract=registered, status="pending")
    PaymentFactory(contract=registered, amount="300000.00")  # verified: claimable
    program = ProgramFactory()
    objects["program"] = program
    submitted = contract_services.subsidy_apply(by=users["ent"], program=program)
    contract_services.subsidy_submit(application=submitted, by=users["ent"])
    objects["subsidy_submitted"] = submitted
    PaymentFactory(contract=registered, amount="200000.00")
    reviewed = contract_services.subsidy_apply(by=users["ent"], program=program)
    contract_services.subsidy_submit(application=reviewed, by=users["ent"])
    contract_services.subsidy_city_review(application=reviewed, by=StaffFactory())
    objects["subsidy_reviewed"] = reviewed
    return users, objects


def as_role(api, users, role):
    user = users[role]
    if user is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return api


def row(anon, univ, ent, other, broker, city_in, city_out, central, admin):
    return dict(
        zip(ROLES, (anon, univ, ent, other, broker, city_in, city_out, central, admin), strict=True)
    )


# Same answer for every role but the ones named.
def every(default, **roles):
    return {role: roles.get(role, default) for role in ROLES}


REVIEW = {"reason": "材料不完整，请补充。"}

# (action, method, url template, body, expected status by role)
MATRIX = [
    # achievements (U's)
    ("read a draft achievement", "get", "/api/v1/achievements/{achievement_draft}/", None,
     row(404, 200, 404, 404, 404, 200, 404, 200, 200)),
    ("read a pending achievement", "get", "/api/v1/achievements/{achievement_pending}/", None,
     row(404, 200, 404, 404, 404, 200, 404, 200, 200)),
    ("read a published achievement", "get", "/api/v1/achievements/{achievement_published}/", None,
     every(200)),
    ("update a draft achievement", "patch", "/api/v1/achievements/{achievement_draft}/",
     {"title": "新标题"}, row(401, 200, 404, 404, 404, 403, 404, 403, 403)),
    ("delete a draft achievement", "delete", "/api/v1/achievements/{achievement_draft}/", None,
     row(401, 204, 404, 404, 404, 403, 404, 403, 403)),
    ("submit a draft achievement", "post", "/api/v1/achievements/{achievement_draft}/submit/",
     None, row(401, 200, 404, 404, 404, 403, 404, 403, 403)),
    ("approve a pending achievement", "post", "/api/v1/achievements/{achievement_pending}/approve/",
     None, row(401, 403, 404, 404, 404, 200, 404, 200, 200)),
    ("reject a pending achievement", "post", "/api/v1/achievements/{achievement_pending}/reject/",
     REVIEW, row(401, 403, 404, 404, 404, 200, 404, 200, 200)),
    ("withdraw a published achievement", "post",
     "/api/v1/achievements/{achievement_published}/withdraw/", None,
     every(403, anon=401, univ=200)),
    ("download a draft's attachment", "get", "/attachments/{attachment}/", None,
     row(404, 200, 404, 404, 404, 200, 404, 200, 200)),
    # demands (E's)
    ("read a draft demand", "get", "/api/v1/demands/{demand_draft}/", None,
     row(404, 404, 200, 404, 404, 200, 404, 200, 200)),
    ("update a draft demand", "patch", "/api/v1/demands/{demand_draft}/", {"title": "新标题"},
     row(401, 404, 200, 404, 404, 403, 404, 403, 403)),
    ("submit a draft demand", "post", "/api/v1/demands/{demand_draft}/submit/", None,
     row(401, 404, 200, 404, 404, 403, 404, 403, 403)),
    ("approve a pending demand", "post", "/api/v1/demands/{demand_pending}/approve/", None,
     row(401, 404, 403, 404, 404, 200, 404, 200, 200)),
    ("close a published demand", "post", "/api/v1/demands/{demand_published}/close/", None,
     every(403, anon=401, ent=200)),
    # contracts (buyer E, seller U, broker B; registered in Yichang)
    ("read a submitted contract", "get", "/api/v1/contracts/{contract_submitted}/", None,
     row(401, 200, 200, 404, 200, 200, 404, 200, 200)),
    ("update a draft contract", "patch", "/api/v1/contracts/{contract_draft}/",
     {"title": "修改后的合同名称"}, row(401, 200, 200, 404, 200, 403, 404, 403, 403)),
    ("submit a draft contract", "post", "/api/v1/contracts/{contract_draft}/submit/", None,
     row(401, 200, 200, 404, 200, 403, 404, 403, 403)),
    ("register a submitted contract", "post", "/api/v1/contracts/{contract_submitted}/register/",
     None, row(401, 403, 403, 404, 403, 200, 404, 200, 200)),
    ("reject a submitted contract", "post", "/api/v1/contracts/{contract_submitted}/reject/",
     REVIEW, row(401, 403, 403, 404, 403, 200, 404, 200, 200)),
    ("verify a pending payment", "post", "/api/v1/payments/{payment_pending}/verify/", None,
     row(401, 403, 403, 404, 403, 200, 404, 200, 200)),
    # subsidy applications (E's)
    ("read a subsidy application", "get", "/api/v1/subsidies/{subsidy_submitted}/", None,
     row(401, 404, 200, 404, 404, 200, 404, 200, 200)),
    ("first review (初审)", "post", "/api/v1/subsidies/{subsidy_submitted}/city_review/", None,
     row(401, 404, 403, 404, 404, 200, 404, 200, 200)),
    ("second review, approval (复审)", "post", "/api/v1/subsidies/{subsidy_reviewed}/approve/",
     None, row(401, 404, 403, 404, 404, 403, 404, 200, 200)),
    ("reject a reviewed application", "post", "/api/v1/subsidies/{subsidy_reviewed}/reject/",
     REVIEW, row(401, 404, 403, 404, 404, 403, 404, 200, 200)),
    ("create a subsidy programme", "post", "/api/v1/subsidy-programs/",
     {"name": "2026年度补助", "year": 2026, "payment_from": "2026-01-01",
      "payment_to": "2026-12-31", "opens_on": "2026-01-01", "closes_on": "2026-12-31"},
     every(403, anon=401, central=201, admin=201)),
]  # fmt: skip

CASES = [(action, role) for action, *_rest in MATRIX for role in ROLES]


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a} as {r}" for a, r in CASES])
def test_role_and_action_get_the_expected_answer(api, world, action, role):
    users, objects = world
    _action, method, template, body, expected = next(m for m in MATRIX if m[0] == action)
    url = template.format(**{name: obj.pk for name, obj in objects.items()})
    if role != "anon" and url.startswith("/attachments/"):
        api.force_login(users[role])  # the download is a page: a session, not a token
    else:
        as_role(api, users, role)
    response = getattr(api, method)(url, body, format="json")
    assert response.status_code == expected[role], getattr(response, "data", response)


LISTS = {
    "achievements": ("/api/v1/achievements/", "achievement_", "read a {} achievement"),
    "demands": ("/api/v1/demands/", "demand_", "read a {} demand"),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("library", list(LISTS))
def test_library_lists_show_exactly_what_detail_pages_show(api, world, role, library):
    users, objects = world
    url, prefix, _read = LISTS[library]
    as_role(api, users, role)
    listed = {item["id"] for item in api.get(url).json()["results"]}
    visible = set()
    for status in ("draft", "pending", "published"):
        item = objects[prefix + status]
        if api.get(f"{url}{item.pk}/").status_code == 200:
            visible.add(item.pk)
    assert listed == visible
    assert objects[prefix + "published"].pk in listed


@pytest.mark.parametrize("role", ROLES)
def test_contract_and_subsidy_lists_leak_nothing(api, world, role):
    users, objects = world
    as_role(api, users, role)
    contracts = api.get("/api/v1/contracts/")
    subsidies = api.get("/api/v1/subsidies/")
    if role == "anon":
        assert (contracts.status_code, subsidies.status_code) == (401, 401)
        return
    read = {m[0]: m[4][role] for m in MATRIX}
    contract_ids = {c["id"] for c in contracts.json()["results"]}
    subsidy_ids = {s["id"] for s in subsidies.json()["results"]}
    assert (objects["contract_submitted"].pk in contract_ids) == (
        read["read a submitted contract"] == 200
    )
    assert (objects["subsidy_submitted"].pk in subsidy_ids) == (
        read["read a subsidy application"] == 200
    )
    if role in ("other", "city_out"):
        assert contract_ids == set() and subsidy_ids == set()


# --- fields nobody may write ------------------------------------------------------------


def test_the_owner_cannot_write_owner_status_or_dates_of_an_achievement(api, world):
    users, objects = world
    draft = objects["achievement_draft"]
    other = Organization.objects.exclude(pk=draft.organization_id).first()
    as_role(api, users, "univ")
    response = api.patch(
        f"/api/v1/achievements/{draft.pk}/",
        {"title": "新标题", "organization": other.pk, "status": "published", "published_at": None},
        format="json",
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.title, draft.organization_id, draft.status) == (
        "新标题",
        users["univ"].organization_id,
        "draft",
    )


def test_an_applicant_cannot_apply_for_another_organisation_or_write_any_amount(api, world):
    users, objects = world
    as_role(api, users, "ent")
    before = SubsidyApplication.objects.count()
    other = Organization.objects.exclude(pk=users["ent"].organization_id).first()
    body = {"program": objects["program"].pk, "organization": other.pk}
    refused = api.post("/api/v1/subsidies/", body, format="json")
    assert refused.status_code == 403
    assert SubsidyApplication.objects.count() == before

    forged = {
        "program": objects["program"].pk,
        "status": "approved",
        "computed_amount": "1000000.00",
        "granted_amount": "1000000.00",
        "eligible_paid_amount": "99999999.00",
    }
    response = api.post("/api/v1/subsidies/", forged, format="json")
    assert response.status_code == 201
    application = SubsidyApplication.objects.get(pk=response.json()["id"])
    assert application.organization_id == users["ent"].organization_id
    assert application.status == "draft" and application.granted_amount is None
    # Computed by the rule from verified payments that no live application claims.
    assert application.eligible_paid_amount < 99999999
    assert application.computed_amount == min(
        application.eligible_paid_amount * objects["program"].rate, objects["program"].cap
    ).quantize(application.computed_amount)


def test_a_party_cannot_write_a_contract_status_number_or_market(api, world):
    users, objects = world
    draft = objects["contract_draft"]
    as_role(api, users, "ent")
    response = api.patch(
        f"/api/v1/contracts/{draft.pk}/",
        {
            "status": "registered",
            "registration_number": "4205002025999999",
            "market": Market.objects.get(code="wuhan").pk,
            "registered_at": "2025-01-01T00:00:00Z",
        },
        format="json",
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.registration_number, draft.registered_at) == (
        Contract.Status.DRAFT,
        None,
        None,
    )
