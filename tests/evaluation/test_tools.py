import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from evaluation import trl, valuation
from evaluation.models import EvaluationReport
from tests.factories import AchievementFactory, ContractFactory, member_of

pytestmark = pytest.mark.django_db


def answers(up_to: int, *, but=()) -> dict:
    return {qid: level <= up_to and qid not in but for qid, level, _t in trl.QUESTIONS}


@pytest.mark.parametrize(
    ("up_to", "but", "level"),
    [(0, (), 0), (4, (), 4), (9, (), 9), (9, ("5b",), 4), (3, ("1a",), 0)],
)
def test_trl_is_the_highest_level_with_every_criterion_met_below(up_to, but, level):
    result = trl.assess(answers(up_to, but=but))
    assert result.level == level
    assert all(e["level"] <= level for e in result.evidence)
    assert len(result.evidence) == 2 * level


def test_trl_needs_every_question_answered_with_a_boolean():
    partial = answers(5)
    partial.pop("7a")
    with pytest.raises(ValidationError) as exc:
        trl.assess(partial)
    assert "7a" in str(exc.value)
    with pytest.raises(ValidationError):
        trl.assess({**answers(5), "3a": "yes"})


def test_cost_method_worked_example():
    # 1,000,000 × 6 ÷ (4 + 6) = 600,000; ±15%
    result = valuation.valuate(
        {"method": "cost", "replacement_cost": "1000000", "years_used": 4, "years_remaining": 6}
    )
    assert (result.value, result.low, result.high) == (
        Decimal("600000.00"),
        Decimal("510000.00"),
        Decimal("690000.00"),
    )
    assert "600,000.00" in result.explanation


def test_income_method_worked_example():
    # 1,000,000 × 0.2 × 0.25 ÷ 1.1 + 2,000,000 × 0.2 × 0.25 ÷ 1.1² = 45454.545… + 82644.628…
    result = valuation.valuate(
        {
            "method": "income",
            "revenues": [1000000, 2000000],
            "profit_margin": "0.2",
            "discount_rate": "0.1",
        }
    )
    assert result.value == Decimal("128099.17")
    with_share = valuation.valuate(
        {
            "method": "income",
            "revenues": [1000000],
            "profit_margin": "0.2",
            "share_rate": "0.5",
            "discount_rate": "0",
        }
    )
    assert with_share.value == Decimal("100000.00")


def test_market_method_uses_registered_contracts_of_the_field():
    for amount in ("100000", "200000", "300000", "900000"):
        ContractFactory(tech_field="materials", amount=amount, tech_transaction_amount=amount)
    ContractFactory(tech_field="energy", amount="5000000", tech_transaction_amount="5000000")
    ContractFactory(
        tech_field="materials",
        status="submitted",
        registration_number=None,
        amount="9000000",
        tech_transaction_amount="9000000",
    )
    result = valuation.valuate({"method": "market", "tech_field": "materials"})
    assert result.comparables == 4
    assert result.value == Decimal("250000.00")  # median of 100k, 200k, 300k, 900k
    assert (result.low, result.high) == (Decimal("175000.00"), Decimal("450000.00"))
    with pytest.raises(ValidationError):
        valuation.valuate({"method": "market", "tech_field": "nuclear"})  # none: says so


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "method": "income",
                "revenues": [100],
                "profit_margin": "0.2",
                "discount_rate": "-0.1",
            },
            "discount_rate",
        ),
        (
            {
                "method": "income",
                "revenues": [100],
                "profit_margin": "0.2",
                "share_rate": "1.5",
                "discount_rate": "0.1",
            },
            "share_rate",
        ),
        (
            {"method": "income", "revenues": [], "profit_margin": "0.2", "discount_rate": "0.1"},
            "revenues",
        ),
        (
            {"method": "cost", "replacement_cost": "abc", "years_used": 1, "years_remaining": 1},
            "replacement_cost",
        ),
        (
            {"method": "cost", "replacement_cost": "10", "years_used": 0, "years_remaining": 0},
            "years_remaining",
        ),
        ({"method": "magic"}, "method"),
    ],
)
def test_bad_valuation_inputs_are_refused(data, field):
    with pytest.raises(ValidationError) as exc:
        valuation.valuate(data)
    assert field in exc.value.message_dict


def test_the_tools_through_the_api(api):
    questions = api.get("/api/v1/evaluation-tools/trl/").json()
    assert {q["level"] for q in questions} == set(range(1, 10))
    result = api.post(
        "/api/v1/evaluation-tools/trl/", {"answers": answers(6)}, format="json"
    ).json()
    assert result["level"] == 6
    assert (
        api.post(
            "/api/v1/evaluation-tools/trl/", {"answers": {"1a": True}}, format="json"
        ).status_code
        == 400
    )
    value = api.post(
        "/api/v1/evaluation-tools/valuation/",
        {"method": "cost", "replacement_cost": "1000", "years_used": 1, "years_remaining": 1},
        format="json",
    ).json()
    assert value == {
        "method": "cost",
        "value": "500.00",
        "low": "425.00",
        "high": "575.00",
        "explanation": value["explanation"],
        "comparables": None,
    }
    bad = api.post(
        "/api/v1/evaluation-tools/valuation/",
        {"method": "market", "tech_field": "nuclear"},
        format="json",
    )
    assert bad.status_code == 400
    catalogue = api.get("/api/v1/evaluation-tools/").json()
    assert {m["slug"] for m in catalogue} >= {"trl", "cost", "income", "market"}


def test_the_owner_saves_an_evaluation_report_with_a_pdf(api, client):
    achievement = AchievementFactory(status="published")
    owner = member_of(achievement.organization)
    api.force_authenticate(member_of(AchievementFactory().organization))
    url = f"/api/v1/achievements/{achievement.pk}/evaluations/"
    assert (
        api.post(url, {"kind": "trl", "inputs": {"answers": answers(5)}}, format="json").status_code
        == 403
    )
    api.force_authenticate(owner)
    saved = api.post(
        url,
        {"kind": "trl", "inputs": {"answers": answers(5)}, "result": {"level": 9}},
        format="json",
    ).json()
    assert saved["result"]["level"] == 5  # computed, never taken from the client
    report = EvaluationReport.objects.get()
    client.force_login(owner)
    assert (
        'data-testid="report-level">5'
        in client.get(f"/evaluation/reports/{report.pk}/").content.decode()
    )
    pdf = client.get(f"/evaluation/reports/{report.pk}/pdf/")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().replace("\x00", "")
    assert "科技成果评价报告" in text and achievement.title in text
    client.force_login(member_of(AchievementFactory().organization))
    assert client.get(f"/evaluation/reports/{report.pk}/").status_code == 404


def test_the_pages_of_the_tools(client):
    assert "成本法" in client.get("/evaluation/").content.decode()
    page = client.post(
        "/evaluation/valuation/",
        {"method": "cost", "replacement_cost": "1000", "years_used": "1", "years_remaining": "1"},
    )
    assert "¥500.00" in page.content.decode()
    bad = client.post(
        "/evaluation/valuation/",
        {"method": "income", "revenues": "100", "profit_margin": "0.2", "discount_rate": "-1"},
    )
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
    form = {f"q_{qid}": "on" for qid, level, _t in trl.QUESTIONS if level <= 3}
    assert 'data-testid="trl-result"' in client.post("/evaluation/trl/", form).content.decode()
