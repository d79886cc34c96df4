"""Pilot bases and concept-verification centres (issue 20, point 3): the
conditions of MARKET.md §7, the city's recommendation, the expert review,
the publicity, recognition, service records, annual reports, rectification."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Market
from platforms import selectors, services
from platforms.models import Platform, PlatformReport
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from tests.factories import OrganizationFactory, StaffFactory, member_of
from tests.platforms import flow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar(db):
    from tests.market import flow as market_flow

    market_flow.enter_calendar()


BAD = [
    ({"established_on": timezone.localdate() - datetime.timedelta(days=200)}, "established_on"),
    ({"incidents": ["2025 年发生一般安全事故"]}, "incidents"),
    ({"equipment": [{"name": "反应釜", "value": "-1"}]}, "equipment"),
    ({"equipment": [{"name": "反应釜"}]}, "equipment"),
    ({"open_service": False}, "open_service"),
    ({"engineers": 40}, "engineers"),
    ({"industries": []}, "industries"),
    ({"services": ["magic"]}, "services"),
    ({"annual_budget": "-5"}, "annual_budget"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_the_conditions_are_checked_and_nothing_is_saved(change, field):
    _org, person = flow.host()
    with pytest.raises(RuleBroken) as exc:
        services.platform_create(by=person, data=flow.data(**change))
    assert field in exc.value.message_dict
    assert not Platform.objects.exists()


def test_a_young_poc_centre_or_a_municipal_base_with_an_incident_may_apply():
    _org, person = flow.host()
    young = services.platform_create(
        by=person,
        data=flow.data(
            kind="poc_center", established_on=timezone.localdate() - datetime.timedelta(days=90)
        ),
    )
    municipal = services.platform_create(
        by=person, data=flow.data(level="municipal", incidents=["一般事故，已整改"])
    )
    assert young.city == "420100" and municipal.equipment_value == Decimal("1550000.50")


def test_city_recommendation_expert_review_publicity_then_recognition_with_a_code():
    made, _person, staff = flow.platform("submitted")
    elsewhere = StaffFactory(staff_market=Market.objects.get(code="yichang"))
    with pytest.raises(NotPermitted):
        services.platform_recommend(platform=made, by=elsewhere, recommend=True)
    with pytest.raises(RuleBroken):  # sent back with a reason
        services.platform_recommend(platform=made, by=staff, recommend=False)
    made = services.platform_recommend(platform=made, by=staff, recommend=True)
    with pytest.raises(RuleBroken):  # no score, no opinion
        services.platform_review(platform=made, by=staff, score=None, opinion="", passed=True)
    made = services.platform_review(
        platform=made, by=staff, score=88, opinion="具备条件", passed=True
    )
    assert made.status == Platform.Status.PUBLICITY
    with pytest.raises(TransitionNotAllowed):  # during the publicity
        services.platform_recognize(platform=made, by=staff)
    recognized, *_ = flow.platform("recognized")
    year = timezone.localdate().year
    assert recognized.code == f"ZS-420100-{year}-0001"
    assert recognized.valid_until == recognized.recognized_on.replace(
        year=recognized.recognized_on.year + 3
    )


def test_a_second_record_of_the_same_host_kind_and_level_is_flagged():
    _org, person = flow.host()
    first = services.platform_create(by=person, data=flow.data())
    second = services.platform_create(by=person, data=flow.data(name="另一个中试基地"))
    assert not services.platform_submit(platform=first, by=person).duplicate_flag
    assert services.platform_submit(platform=second, by=person).duplicate_flag


def test_service_records_and_annual_reports_drive_operation_and_rectification():
    made, person, staff = flow.platform("recognized")
    record = {
        "client": "某电池企业",
        "service_type": "scale_up",
        "starts_on": timezone.localdate() - datetime.timedelta(days=30),
        "ends_on": timezone.localdate() - datetime.timedelta(days=40),
        "fee": "80000.00",
        "outcome": "passed",
    }
    with pytest.raises(RuleBroken):  # ends before it starts
        services.record_add(platform=made, by=person, data=record)
    with pytest.raises(RuleBroken):  # a negative fee
        services.record_add(
            platform=made, by=person, data={**record, "ends_on": record["starts_on"], "fee": "-1"}
        )
    services.record_add(
        platform=made,
        by=person,
        data={**record, "ends_on": timezone.localdate() - datetime.timedelta(days=1)},
    )
    year = timezone.localdate().year
    figures = {
        "projects_verified": 3,
        "spinouts": 1,
        "financing_raised": "2000000",
        "summary": "年度服务",
    }
    with pytest.raises(RuleBroken):  # a year in the future
        services.report_submit(platform=made, by=person, year=year + 1, data=figures)
    report = services.report_submit(platform=made, by=person, year=year, data=figures)
    assert (report.services_count, report.clients_count) == (1, 1)
    assert report.service_income == Decimal("80000.00")
    with pytest.raises(RuleBroken):  # once a year
        services.report_submit(platform=made, by=person, year=year, data=figures)
    services.report_decide(report=report, by=staff, passed=True)
    made.refresh_from_db()
    assert made.status == Platform.Status.OPERATING
    last = services.report_submit(platform=made, by=person, year=year - 1, data=figures)
    with pytest.raises(RuleBroken):
        services.report_decide(report=last, by=staff, passed=False)
    services.report_decide(report=last, by=staff, passed=False, comment="开放服务不足")
    made.refresh_from_db()
    assert made.status == Platform.Status.RECTIFICATION
    assert (
        last.result == PlatformReport.Result.FAIL
        or PlatformReport.objects.get(pk=last.pk).result == "fail"
    )


def test_monitoring_counts_provincial_pilot_bases_that_work():
    flow.platform("recognized")
    flow.platform("recognized", level="municipal")
    flow.platform("publicity")
    assert selectors.pilot_bases_by_market() == {"wuhan": 1}


def test_the_directory_and_the_api_show_recognised_platforms_only(client, api):
    recognized, _person, _staff = flow.platform("recognized")
    draft, _p, _s = flow.platform("draft", name="草稿中的概念验证中心", kind="poc_center")
    page = client.get("/platforms/", {"city": "420100", "industry": "materials"}).content.decode()
    assert recognized.name in page and draft.name not in page
    assert client.get(draft.get_absolute_url()).status_code == 404
    rows = api.get("/api/v1/platforms/").json()["results"]
    assert [r["code"] for r in rows] == [recognized.code]
    api.force_authenticate(member_of(OrganizationFactory()))
    bad = api.post(
        "/api/v1/platforms/",
        {**flow.data(open_service=False), "established_on": "2020-01-01"},
        format="json",
    )
    assert bad.status_code == 400 and "open_service" in bad.json()
