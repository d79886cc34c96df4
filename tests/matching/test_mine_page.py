"""Lists as people expect (issue 16, point 5): /matching/mine/ and search results."""

import pytest
from django.utils import timezone

from matching.models import Match
from tests.factories import AchievementFactory, DemandFactory, OrganizationFactory, member_of

pytestmark = pytest.mark.django_db


def published(factory, **kwargs):
    return factory(status="published", published_at=timezone.now(), **kwargs)


def test_my_recommendations_are_paginated_filtered_scored_and_answerable(client):
    enterprise = OrganizationFactory(kind="enterprise")
    member = member_of(enterprise)
    mine, other = (
        published(DemandFactory, organization=enterprise),
        published(DemandFactory, organization=enterprise),
    )
    for _n in range(22):
        Match.objects.create(demand=mine, achievement=published(AchievementFactory), score=0.5)
    Match.objects.create(demand=other, achievement=published(AchievementFactory), score=0.82)
    client.force_login(member)
    first = client.get("/matching/mine/")
    assert len(first.context["pairs"]) == 20 and first.context["page"].paginator.count == 23
    text = first.content.decode()
    assert "82%" in text and 'data-testid="inquire"' in text and 'name="verdict"' in text
    assert len(client.get("/matching/mine/?page=2").context["pairs"]) == 3
    only = client.get(f"/matching/mine/?item=demand-{other.pk}")
    assert [m.demand_id for m in only.context["pairs"]] == [other.pk]
    # Another organisation's item is no filter into its matches.
    stranger_demand = published(DemandFactory)
    Match.objects.create(
        demand=stranger_demand, achievement=published(AchievementFactory), score=0.9
    )
    assert (
        client.get(f"/matching/mine/?item=demand-{stranger_demand.pk}")
        .context["page"]
        .paginator.count
        == 0
    )


def test_search_results_show_a_snippet_the_organisation_and_the_date(client):
    university = OrganizationFactory(kind="university", name="华中示范大学")
    published(
        AchievementFactory,
        organization=university,
        title="高效电机控制",
        summary="本技术面向工业场景，" * 10 + "采用永磁同步电机矢量控制算法。",
    )
    text = client.get("/search/", {"q": "矢量控制"}).content.decode()
    assert "<mark>矢量控制</mark>" in text or "<mark>矢量</mark>" in text
    assert "华中示范大学" in text and timezone.localdate().strftime("%Y-%m-%d") in text
