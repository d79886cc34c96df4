"""Search as people expect (issue 18, point 4): 搜索联想, "did you mean" and
the week's most searched words."""

import datetime

import pytest
from django.utils import timezone

from portal.core.models import SearchCount, SearchTerm
from portal.library import suggest
from tests.factories import AchievementFactory, DemandFactory

pytestmark = pytest.mark.django_db


def published(title, keywords=(), factory=AchievementFactory):
    return factory(status="published", title=title, keywords=list(keywords))


def test_the_vocabulary_holds_published_titles_and_keywords_only():
    published("石墨烯散热膜", ["石墨烯", "散热"])
    published("石墨烯电池负极", ["石墨烯"])
    published("工业废水处理", ["石墨烯"], factory=DemandFactory)
    AchievementFactory(status="draft", title="未发布的草稿", keywords=["草稿词"])
    assert suggest.terms_rebuild() == SearchTerm.objects.count()
    terms = dict(SearchTerm.objects.values_list("term", "items"))
    assert terms["石墨烯"] == 3 and terms["石墨烯散热膜"] == 1
    assert "未发布的草稿" not in terms and "草稿词" not in terms
    assert SearchTerm.objects.get(term="石墨烯").reversed_term == "烯墨石"


def test_suggestions_start_with_what_was_typed_most_used_first(client):
    for n in range(3):
        published(f"石墨烯应用{n}", ["石墨烯"])
    published("石墨矿选矿", ["石墨矿"])
    published("无关成果", ["电池"])
    suggest.terms_rebuild()
    body = client.get("/api/v1/search/suggestions/", {"q": "石墨"}).json()
    terms = [s["term"] for s in body["suggestions"]]
    assert terms[0] == "石墨烯" and "石墨矿" in terms and "电池" not in terms
    assert all(t.startswith("石墨") for t in terms) and len(terms) <= suggest.SUGGESTIONS_MAX
    assert client.get("/api/v1/search/suggestions/", {"q": ""}).json() == {"suggestions": []}
    assert client.get("/api/v1/search/suggestions/", {"q": "%_"}).json() == {"suggestions": []}


def test_did_you_mean_offers_a_close_spelling_that_has_results(client):
    published("石墨烯散热膜", ["石墨烯"])
    published("石墨烯导电油墨", ["石墨烯"])
    published("孤例成果", ["孤例词"])
    suggest.terms_rebuild()
    assert suggest.did_you_mean("石墨稀") == "石墨烯"  # 稀 for 烯, an IME slip
    assert suggest.did_you_mean("墨墨烯") == "石墨烯"  # the first character wrong
    assert suggest.did_you_mean("孤例问") is None  # a term of one item is not "many"
    assert suggest.did_you_mean("完全不同") is None
    page = client.get("/achievements/", {"q": "石墨稀"}).content.decode()
    assert 'data-testid="did-you-mean"' in page and "?q=%E7%9F%B3%E5%A2%A8%E7%83%AF" in page
    across = client.get("/search/", {"q": "石墨稀"})
    assert across.context["did_you_mean"] == "石墨烯"
    found = client.get("/search/", {"q": "石墨烯"})
    assert found.context["did_you_mean"] is None


def test_the_weeks_most_searched_words_are_terms_people_searched(client):
    published("石墨烯散热膜", ["石墨烯", "散热"])
    suggest.terms_rebuild()
    for _ in range(3):
        client.get("/achievements/", {"q": "石墨烯"})
    client.get("/search/", {"q": "散热"})
    client.get("/search/", {"q": "乱写的广告词"})  # searched, but no title or keyword
    SearchCount.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=10), query="散热", count=50
    )
    assert suggest.most_searched() == ["石墨烯", "散热"]
    home = client.get("/").content.decode()
    assert 'data-testid="most-searched"' in home and "乱写的广告词" not in home


def test_the_rebuild_forgets_old_counts_and_runs_as_a_periodic_job(settings):
    from portal.site.tasks import search_terms_rebuild

    SearchCount.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=suggest.COUNTS_KEPT_DAYS + 1),
        query="旧词",
        count=1,
    )
    published("新成果", ["新词"])
    jobs = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.site.tasks.search_terms_rebuild" in jobs
    assert search_terms_rebuild.delay().get() == SearchTerm.objects.count() > 0
    assert not SearchCount.objects.filter(query="旧词").exists()


def test_levenshtein_stops_past_its_ceiling():
    assert suggest._distance("石墨烯", "石墨稀", 1) == 1
    assert suggest._distance("abc", "abcdef", 1) == 2
    assert suggest._distance("kitten", "sitting", 3) == 3
