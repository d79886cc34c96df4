"""The anonymous list cache: served without re-reading the rows while nothing
changed, refreshed by any write to a library table, never for signed-in users."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from achievements.models import Achievement
from tests.factories import AchievementFactory, OrganizationFactory, member_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/achievements/"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.LIBRARY_LIST_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_a_repeated_anonymous_list_reads_only_the_change_counter(api):
    AchievementFactory(status="published")
    first = api.get(URL)
    with CaptureQueriesContext(connection) as queries:
        second = api.get(URL)
    assert second.status_code == 200 and second.content == first.content
    assert [q["sql"] for q in queries.captured_queries] == [
        "SELECT last_value FROM library_change_seq"
    ]


def test_any_write_to_a_library_table_refreshes_it(api):
    old = AchievementFactory(status="published")
    assert ids(api.get(URL)) == [old.pk]
    new = AchievementFactory(status="published")  # an INSERT
    assert set(ids(api.get(URL))) == {old.pk, new.pk}
    Achievement.objects.filter(pk=new.pk).update(status="withdrawn")  # an UPDATE
    assert ids(api.get(URL)) == [old.pk]
    old.organization.region_code = "420602"  # the organisation's market shows in the list
    old.organization.save()
    assert api.get(URL).json()["results"][0]["region_code"] == "420602"


def test_each_query_string_has_its_own_entry_and_headers_survive(api):
    AchievementFactory(status="published", tech_field="materials")
    AchievementFactory(status="published", tech_field="energy")
    assert len(ids(api.get(URL + "?tech_field=energy"))) == 1
    assert len(ids(api.get(URL + "?tech_field=materials"))) == 1
    assert len(ids(api.get(URL))) == 2
    assert api.get(URL + "?tech_field=energy")["Content-Type"] == "application/json"


def test_signed_in_lists_are_never_cached(api):
    org = OrganizationFactory(kind="university")
    draft = AchievementFactory(organization=org, status="draft")
    api.get(URL)  # an anonymous entry exists now
    api.force_authenticate(member_of(org))
    with CaptureQueriesContext(connection) as queries:
        response = api.get(URL)
    assert draft.pk in ids(response)  # the member's own draft: not the anonymous page
    assert len(queries.captured_queries) > 1


def test_it_is_off_when_the_setting_is_zero(api, settings):
    settings.LIBRARY_LIST_CACHE_SECONDS = 0
    AchievementFactory(status="published")
    api.get(URL)
    with CaptureQueriesContext(connection) as queries:
        api.get(URL)
    assert len(queries.captured_queries) > 1
