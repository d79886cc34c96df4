"""No N+1: every list runs the same number of queries for 2 rows as for 12.

Each case builds a few rows, counts the queries of one request, builds ten
more and counts again. A related object read per row (a missing
select_related or prefetch_related) makes the second count larger.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services as cases
from cases.models import Case
from experts import services as experts
from experts.models import Expert
from scenarios import services as scenarios
from tests.factories import (
    AchievementFactory,
    ContractFactory,
    DemandFactory,
    OrganizationFactory,
    PaymentFactory,
    StaffFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def achievements(n):
    for _ in range(n):
        AchievementFactory(status="published", organization=OrganizationFactory())


def demands(n):
    for _ in range(n):
        DemandFactory(status="published", organization=OrganizationFactory(kind="enterprise"))


def pending(n):
    for _ in range(n):
        AchievementFactory(status="pending", organization=OrganizationFactory())
        DemandFactory(status="pending", organization=OrganizationFactory(kind="enterprise"))
        ContractFactory(status="submitted", registration_number=None)
        PaymentFactory(status="submitted")


def open_scenarios(n):
    staff = StaffFactory()
    for i in range(n):
        publisher = member_of(OrganizationFactory(kind="government"))
        scenario = scenarios.scenario_create(
            by=publisher,
            data={
                "title": f"智能信号灯试点{i}",
                "description": "征集车路协同解决方案",
                "tech_field": "transport",
                "industries": ["nev"],
                "keywords": ["车路协同"],
                "deadline": datetime.date.today() + datetime.timedelta(days=30),
            },
        )
        scenarios.scenario_submit(scenario=scenario, by=publisher)
        scenarios.scenario_approve(scenario=scenario, by=staff)


def expert_profiles(n):
    for i in range(n):
        experts.expert_save(
            expert=Expert(
                name=f"专家{i}",
                organization=OrganizationFactory(),
                tech_fields=["materials"],
                keywords=["石墨烯"],
            )
        )


def published_cases(n):
    staff = StaffFactory()
    for i in range(n):
        case = cases.case_save(
            case=Case(
                title=f"案例{i}",
                summary="s",
                body="b",
                tech_field="materials",
                region_code="420111",
                contract=ContractFactory(),
            ),
            by=staff,
        )
        cases.case_publish(case=case, by=staff)


def contracts(n):
    for _ in range(n):
        PaymentFactory(contract=ContractFactory())


CASES = [
    ("/achievements/", achievements, False),
    ("/api/v1/achievements/", achievements, False),
    ("/demands/", demands, False),
    ("/api/v1/demands/", demands, False),
    ("/scenarios/", open_scenarios, False),
    ("/api/v1/scenarios/", open_scenarios, False),
    ("/experts/", expert_profiles, False),
    ("/api/v1/experts/", expert_profiles, False),
    ("/cases/", published_cases, False),
    ("/api/v1/cases/", published_cases, False),
    ("/search/?q=节能电机", achievements, False),
    ("/contracts/", contracts, True),
    ("/api/v1/contracts/", contracts, True),
    ("/review/", pending, True),
]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), len(response.content)


@pytest.mark.parametrize(("url", "build", "as_staff"), CASES, ids=[c[0] for c in CASES])
def test_lists_run_the_same_queries_for_2_rows_as_for_12(client, url, build, as_staff):
    if as_staff:
        client.force_login(StaffFactory())
    build(2)
    queries(client, url)  # warm up: per-process caches (markets, choices) fill once
    few, small = queries(client, url)
    build(10)
    synced, _size = queries(client, url)  # the first search after writes syncs the engine
    many, large = queries(client, url)
    assert large > small, f"{url} does not show the new rows"
    assert many == few, f"{url}: {few} queries for 2 rows, {many} for 12"
    # ... in a fixed number of queries, however many rows were written
    build(30)
    assert queries(client, url)[0] == synced, f"{url}: the engine's sync reads row by row"
