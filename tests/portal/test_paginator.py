import pytest

from achievements.models import Achievement
from portal.core import paginator
from portal.core.paginator import bounded_count
from tests.factories import AchievementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_published():
    for _ in range(5):
        AchievementFactory(status="published")
    AchievementFactory(status="draft")
    return Achievement.objects.filter(status="published")


def test_counts_are_exact_up_to_the_limit(five_published):
    assert bounded_count(five_published, limit=5) == (5, False)
    assert bounded_count(five_published.filter(trl__gt=100), limit=5) == (0, False)


def test_above_the_limit_the_count_is_an_estimate_never_below_what_was_seen(five_published):
    count, estimated = bounded_count(five_published, limit=3)
    assert estimated and count >= 4


def test_the_api_flags_an_estimated_count(api, five_published, monkeypatch):
    body = api.get("/api/v1/achievements/")
    assert body.json()["count"] == 5 and "X-Count-Estimated" not in body
    monkeypatch.setattr(paginator, "EXACT_COUNT_LIMIT", 3)
    body = api.get("/api/v1/achievements/?page_size=2")
    assert body["X-Count-Estimated"] == "true" and body.json()["count"] >= 4
    assert len(body.json()["results"]) == 2 and body.json()["next"]


def test_the_list_page_says_about_when_the_count_is_estimated(client, five_published, monkeypatch):
    assert "约" not in client.get("/achievements/").content.decode()
    monkeypatch.setattr(paginator, "EXACT_COUNT_LIMIT", 3)
    count = client.get("/achievements/").content.decode().split('data-testid="result-count">')[1]
    assert count.startswith("约 ")
