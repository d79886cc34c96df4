"""The high-tech conversion project library (issue 20, point 4): IP windows,
licences, test reports, review, publicity, recognition for three years,
yearly sales, removal, and the fast lane for market and challenge deals."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from contracts.models import Contract
from conversions import services
from conversions.models import ConversionProject
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from tests.conversions import flow
from tests.factories import ContractFactory, OrganizationFactory, member_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def calendar(db):
    from tests.market import flow as market_flow

    market_flow.enter_calendar()


def ip(**row):
    return [
        {"type": "invention", "number": "ZL1", "date": TODAY - datetime.timedelta(days=30), **row}
    ]


BAD = [
    ({"ip_items": ip(date=TODAY - datetime.timedelta(days=37 * 31))}, "ip_items"),  # 37 months
    ({"ip_items": ip(type="software", date=TODAY - datetime.timedelta(days=25 * 31))}, "ip_items"),
    ({"ip_items": ip(holder="某大学", exclusive=False, worldwide=True, years=10)}, "ip_items"),
    ({"ip_items": ip(holder="某大学", exclusive=True, worldwide=True, years=3)}, "ip_items"),
    ({"ip_items": ip(holder="某大学", exclusive=True, worldwide=False, years=8)}, "ip_items"),
    ({"ip_items": []}, "ip_items"),
    ({"test_reports": [{"agency": "某检测所", "accreditation": ""}]}, "test_reports"),
    ({"test_reports": []}, "test_reports"),
    ({"expected_revenue": "-1"}, "expected_revenue"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_applications_are_refused_and_nothing_is_saved(change, field):
    _org, person = flow.applicant()
    with pytest.raises(RuleBroken) as exc:
        services.project_create(by=person, data=flow.data(**change))
    assert field in exc.value.message_dict
    assert not ConversionProject.objects.exists()


def test_windows_licences_and_services_that_do_count():
    _org, person = flow.applicant()
    licensed = services.project_create(
        by=person,
        data=flow.data(
            ip_items=[
                {
                    "type": "invention_application",
                    "number": "CN2024100001",
                    "date": TODAY - datetime.timedelta(days=2000),
                },
                {
                    "type": "utility",
                    "number": "ZL2",
                    "date": TODAY - datetime.timedelta(days=35 * 30),
                    "holder": "某大学",
                    "exclusive": True,
                    "worldwide": True,
                    "years": 5,
                },
            ],
            stage="service",
            test_reports=[],
        ),
    )
    assert [i["holder"] for i in licensed.ip_items] == [person.organization.name, "某大学"]


def test_review_publicity_recognition_for_three_years_then_sales_and_removal():
    made, person, staff = flow.project("formal_review")
    with pytest.raises(RuleBroken):  # sent back with a reason
        services.formal_check(project=made, by=staff, passed=False)
    made = services.formal_check(project=made, by=staff, passed=True)
    assert made.status == ConversionProject.Status.EXPERT_REVIEW
    with pytest.raises(NotPermitted):
        services.expert_review(project=made, by=person, passed=True, opinion="x")
    made = services.expert_review(project=made, by=staff, passed=True, opinion="技术先进")
    with pytest.raises(TransitionNotAllowed):  # during the publicity
        services.project_recognize(project=made, by=staff)
    recognized, owner, staff = flow.project("recognized")
    assert recognized.code == f"GZ-{TODAY.year}-00001"
    assert recognized.valid_until == TODAY.replace(year=TODAY.year + 3)
    with pytest.raises(RuleBroken):  # a year in the future
        services.sales_report(project=recognized, by=owner, year=TODAY.year + 1, revenue="1")
    services.sales_report(project=recognized, by=owner, year=TODAY.year - 1, revenue="3200000")
    recognized.refresh_from_db()
    assert recognized.status == ConversionProject.Status.TRACKING
    assert recognized.sales.get().revenue == Decimal("3200000.00")
    with pytest.raises(RuleBroken):
        services.project_remove(project=recognized, by=staff, reason="")
    removed = services.project_remove(project=recognized, by=staff, reason="专利被宣告无效")
    assert removed.status == ConversionProject.Status.REMOVED


def test_one_ip_number_in_two_live_projects_of_different_applicants_is_refused():
    first, _person, _staff = flow.project("formal_review")
    number = first.ip_items[0]["number"]
    _org, other = flow.applicant()
    second = services.project_create(by=other, data=flow.data(ip_items=ip(number=number)))
    with pytest.raises(RuleBroken) as exc:
        services.project_submit(project=second, by=other)
    assert number in " ".join(exc.value.messages)


def test_a_listing_deal_with_a_registered_contract_takes_the_fast_lane():
    org, person = flow.applicant()
    contract = ContractFactory(buyer=org)
    assert contract.status == Contract.Status.REGISTERED
    made = services.project_create(
        by=person, data=flow.data(source="listing_deal", contract=contract)
    )
    made = services.project_submit(project=made, by=person)
    assert made.fast_lane
    made = services.formal_check(project=made, by=flow.StaffFactory(), passed=True)
    assert made.status == ConversionProject.Status.PUBLICITY  # no expert review
    stranger = ContractFactory()
    with pytest.raises(RuleBroken):  # someone else's contract
        services.project_create(by=person, data=flow.data(source="listing_deal", contract=stranger))


def test_the_library_and_the_api_show_recognised_projects_only(client, api):
    recognized, _person, _staff = flow.project("recognized")
    draft, _p, _s = flow.project("draft", name="草稿项目")
    page = client.get("/conversion-projects/").content.decode()
    assert recognized.name in page and "草稿项目" not in page
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert [r["code"] for r in api.get("/api/v1/conversion-projects/").json()["results"]] == [
        recognized.code
    ]
    api.force_authenticate(member_of(OrganizationFactory()))
    bad = api.post("/api/v1/conversion-projects/", {**flow.data(), "ip_items": []}, format="json")
    assert bad.status_code == 400
