"""Transfer agencies (issue 20, point 2): filing, annual reports from
registered contracts, evaluation rounds with weights as data, grades, their
publicity, and the public credit page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from agencies import selectors, services
from agencies.models import Agency, Evaluation, EvaluationRound
from contracts.models import Contract
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from publicity.models import Publicity
from publicity.selectors import current
from tests.agencies.flow import filed
from tests.factories import (
    ContractFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
SCORES = {"basic": 90, "performance": 80, "capability": 70, "management": 60, "reputation": 100}


@pytest.fixture(autouse=True)
def calendar(db):
    from tests.market import flow as market_flow

    market_flow.enter_calendar()


REPORT = {
    "staff_total": 20,
    "fulltime_staff": 12,
    "parttime_experts": 5,
    "enterprises_served": 40,
    "tech_income": "300000.00",
    "total_income": "800000.00",
}


def test_filing_then_an_annual_report_filled_from_registered_contracts():
    agency, person = filed()
    assert agency.status == Agency.Status.REGISTERED
    with pytest.raises(RuleBroken):  # one record per organisation
        services.agency_file(
            by=person,
            data={
                "kind": "independent",
                "founded_on": datetime.date(2020, 1, 1),
                "premises": "x",
                "fulltime_staff": 1,
            },
        )
    broker = UserFactory(organization=agency.organization)
    for amount in ("500000.00", "250000.00"):
        contract = ContractFactory(broker=broker, tech_transaction_amount=amount)
        Contract.objects.filter(pk=contract.pk).update(
            registered_at=timezone.now().replace(year=LAST_YEAR)
        )
    ContractFactory(tech_transaction_amount="999.00")  # another agency's deal
    with pytest.raises(RuleBroken) as exc:  # the future
        services.report_submit(agency=agency, by=person, year=LAST_YEAR + 2, data=REPORT)
    assert "year" in exc.value.message_dict
    for bad in ({"fulltime_staff": 30}, {"tech_income": "-1"}, {"tech_income": "900000.00"}):
        with pytest.raises(RuleBroken):
            services.report_submit(agency=agency, by=person, year=LAST_YEAR, data={**REPORT, **bad})
    with pytest.raises(RuleBroken) as exc:  # a declared amount that is not the contracts'
        services.report_submit(
            agency=agency, by=person, year=LAST_YEAR, data={**REPORT, "deals_amount": "1000000"}
        )
    assert "750000.00" in " ".join(exc.value.messages)
    report = services.report_submit(agency=agency, by=person, year=LAST_YEAR, data=REPORT)
    assert (report.deals_count, report.deals_amount) == (2, Decimal("750000.00"))
    with pytest.raises(RuleBroken):  # locked: once a year
        services.report_submit(agency=agency, by=person, year=LAST_YEAR, data=REPORT)


def test_a_round_scores_by_its_weights_and_refuses_bad_scores():
    staff = StaffFactory()  # Wuhan: provincial
    with pytest.raises(RuleBroken):
        services.round_open(
            by=staff, year=LAST_YEAR, evaluator="第三方", weights={"a": 50, "b": 40}
        )
    with pytest.raises(NotPermitted):
        services.round_open(by=member_of(OrganizationFactory()), year=LAST_YEAR, evaluator="x")
    made = services.round_open(by=staff, year=LAST_YEAR, evaluator="某评估公司")
    assert made.weights == {
        "basic": 10,
        "performance": 30,
        "capability": 30,
        "management": 20,
        "reputation": 10,
    }
    agency, _p = filed()
    young, _q = filed(founded_years=1, name="新设机构")
    with pytest.raises(RuleBroken) as exc:  # younger than two years
        services.evaluate(round=made, agency=young, by=staff, data={"scores": SCORES})
    assert "agency" in exc.value.message_dict
    with pytest.raises(RuleBroken):  # a grade without the scores
        services.evaluate(round=made, agency=agency, by=staff, data={"grade": "excellent"})
    with pytest.raises(RuleBroken):
        services.evaluate(
            round=made, agency=agency, by=staff, data={"scores": {**SCORES, "basic": 101}}
        )
    evaluation = services.evaluate(round=made, agency=agency, by=staff, data={"scores": SCORES})
    # 90×10 + 80×30 + 70×30 + 60×20 + 100×10 = 7600 → 76.00
    assert evaluation.total == Decimal("76.00") and evaluation.grade == Evaluation.Grade.PASS


def test_excellent_for_the_top_fifth_then_publicity_then_final_grades_on_the_credit_page(client):
    staff = StaffFactory()
    made = services.round_open(by=staff, year=LAST_YEAR, evaluator="某评估公司")
    agencies = [filed(name=f"机构{n}")[0] for n in range(5)]
    for n, agency in enumerate(agencies):
        score = 95 - n  # all at 85 or more
        services.evaluate(
            round=made, agency=agency, by=staff, data={"scores": dict.fromkeys(SCORES, score)}
        )
    published = services.round_publish(round=made, by=staff)
    grades = list(published.evaluations.order_by("-total").values_list("grade", flat=True))
    assert grades == ["excellent", "pass", "pass", "pass", "pass"]  # 20 % of five
    with pytest.raises(TransitionNotAllowed):  # during the publicity
        services.round_finalize(round=made, by=staff)
    with pytest.raises(TransitionNotAllowed):  # no more scores
        services.evaluate(round=made, agency=agencies[0], by=staff, data={"scores": SCORES})
    Publicity.objects.filter(pk=current(made, Publicity.Kind.EVALUATION).pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    services.round_finalize(round=made, by=staff)
    assert [e.grade for e in selectors.last_grades(agencies[0])] == ["excellent"]
    page = client.get(agencies[0].get_absolute_url()).content.decode()
    assert "优秀" in page and 'data-testid="upheld-count">0<' in page
    rows = client.get("/api/v1/agencies/").json()["results"]
    assert {r["name"]: r["grades"][0]["grade"] for r in rows}["机构0"] == "excellent"


def test_two_failed_years_suspend_a_filed_agency():
    staff = StaffFactory()
    agency, _p = filed()
    for year in (LAST_YEAR - 1, LAST_YEAR):
        made = services.round_open(by=staff, year=year, evaluator="某评估公司")
        services.evaluate(
            round=made, agency=agency, by=staff, data={"scores": dict.fromkeys(SCORES, 40)}
        )
        services.round_publish(round=made, by=staff)
        Publicity.objects.filter(pk=current(made, Publicity.Kind.EVALUATION).pk).update(
            starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 1, 2)
        )
        services.round_finalize(round=made, by=staff)
    agency.refresh_from_db()
    assert agency.status == Agency.Status.SUSPENDED
    assert EvaluationRound.objects.filter(status="final").count() == 2


def test_monitoring_counts_filed_agencies():
    filed()
    OrganizationFactory(kind="agency")  # an agency organisation that never filed
    assert selectors.filed_by_market() == {"wuhan": 1}
