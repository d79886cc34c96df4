import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Market
from portal.core.models import StatsSnapshot
from portal.site import stats
from tests.factories import (
    AchievementFactory,
    BrokerFactory,
    ContractFactory,
    OrganizationFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def at(year, month):
    return timezone.make_aware(datetime.datetime(year, month, 15, 10))


@pytest.fixture
def records():
    """Known records of 2025 in Wuhan and Xiangyang (and one of 2024)."""
    wuhan_seller = OrganizationFactory(kind="university", region_code="420111")
    xy_seller = OrganizationFactory(kind="university", region_code="420602")
    wuhan = Market.objects.get(code="wuhan")
    xiangyang = Market.objects.get(code="xiangyang")
    ContractFactory(
        seller=wuhan_seller,
        market=wuhan,
        amount="3000000.00",
        tech_transaction_amount="3000000.00",
        registered_at=at(2025, 3),
    )
    ContractFactory(
        seller=wuhan_seller,
        market=wuhan,
        amount="2000000.00",
        tech_transaction_amount="2000000.00",
        registered_at=at(2025, 3),
    )
    ContractFactory(
        seller=xy_seller,
        market=xiangyang,
        amount="1500000.00",
        tech_transaction_amount="1500000.00",
        registered_at=at(2025, 7),
    )
    ContractFactory(
        seller=xy_seller,
        market=xiangyang,
        amount="9000000.00",
        tech_transaction_amount="9000000.00",
        registered_at=at(2024, 7),
    )
    AchievementFactory(organization=wuhan_seller, status="published", published_at=at(2025, 2))
    OrganizationFactory(kind="agency", region_code="420106")
    BrokerFactory()  # an account marked broker, not (yet) certified in the registry
    from tests.brokers import flow as brokers

    brokers.certified()
    from tests.agencies.flow import filed

    filed()  # a filed transfer agency (the two agency organisations above never filed)


def test_indicators_are_computed_from_the_records(records):
    data = stats.compute(2025)
    province = data["province"]
    assert province["turnover"]["value"] == "6500000.00"
    assert province["contracts"]["value"] == 3
    assert province["turnover"]["target"] == f"{3000 * stats.YI:.2f}"
    markets = {m["code"]: m for m in data["markets"]}
    assert markets["wuhan"]["turnover"]["value"] == "5000000.00"
    assert markets["xiangyang"]["contracts"]["value"] == 1
    assert markets["yichang"]["contracts"]["value"] == 0
    assert markets["xiangyang"]["turnover"]["target"] == f"{300 * stats.YI:.2f}"
    assert province["achievements"]["value"] == 1
    assert province["agencies"]["value"] == 1  # filed agencies, not agency organisations
    assert province["brokers"]["value"] == 1  # certified in the registry
    assert province["pilot_bases"]["value"] == 0  # counted now: none recognised here
    assert [m["contracts"] for m in data["monthly"]][2] == 2  # March
    assert stats.compute(2024)["province"]["turnover"]["value"] == "9000000.00"


def test_the_snapshot_is_never_older_than_an_hour(records):
    first = stats.indicators(2025)
    ContractFactory(
        amount="1000000.00", tech_transaction_amount="1000000.00", registered_at=at(2025, 8)
    )
    assert stats.indicators(2025) == first  # cached
    StatsSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=61))
    assert stats.indicators(2025)["province"]["contracts"]["value"] == 4


def test_the_beat_job_refreshes_the_snapshot(settings):
    from portal.site.tasks import stats_refresh

    assert "portal-stats-refresh" in settings.CELERY_BEAT_SCHEDULE
    stats_refresh.delay()
    assert StatsSnapshot.objects.filter(year=timezone.localdate().year).exists()


def test_the_dashboard_the_api_and_the_excel_agree(client, api, records):
    html = client.get("/monitoring/?year=2025").content.decode()
    assert 'data-testid="turnover-chart"' in html and "<svg" in html
    assert "湖北技术交易大市场" in html
    body = api.get("/api/v1/stats/indicators/?year=2025").json()
    assert body["province"]["contracts"]["value"] == 3
    assert api.get("/api/v1/stats/indicators/?year=abc").status_code == 400
    sheet = load_workbook(io.BytesIO(client.get("/monitoring/export.xlsx?year=2025").content))
    rows = {r[0]: r for r in sheet.active.iter_rows(values_only=True)}
    assert Decimal(str(rows["技术合同交易额（亿元）"][1])) == Decimal("0.065")
    assert rows["登记技术合同（份）"][1] == 3


def test_the_home_page_shows_headline_figures_and_the_newest_items(client, records):
    html = client.get("/").content.decode()
    assert 'data-testid="figure-achievements">1<' in html
    assert "揭榜挂帅" in html


def test_the_workspace_counts_what_needs_action(client):
    org = OrganizationFactory(kind="university")
    AchievementFactory(organization=org, status="draft")
    AchievementFactory(organization=org, status="rejected")
    AchievementFactory(organization=org, status="rejected")
    client.force_login(member_of(org))
    html = client.get("/workspace/").content.decode()
    assert "成果草稿" in html and "退回修改的成果" in html
    tasks = {t.label: t.count for t in client.get("/workspace/").context["tasks"]}
    assert tasks["成果草稿"] == 1 and tasks["退回修改的成果"] == 2
