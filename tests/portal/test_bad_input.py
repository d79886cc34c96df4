"""Bad input, refused once (issue 13, finding 9): NUL bytes in list filters,
lone surrogates in JSON, JSON nested 1,000 deep, over-long parameters and
queries answered 500 on many operations. One guard (portal/core/guard.py) refuses
them; these tests walk every operation of /api/schema/ and every page."""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import AchievementFactory, DemandFactory, UserFactory

pytestmark = pytest.mark.django_db

NUL = "%00"
CONTROL = "%C2%85"  # NEL, a C1 control character
SURROGATE_IN_URL = "%ED%A0%80"  # U+D800 as UTF-8 would write it, which no UTF-8 text holds
LONG = "字" * 2100
SURROGATE = '{"title": "\\ud800", "reason": "\\ud800", "text": "\\ud800"}'
NUL_IN_JSON = '{"title": "a\\u0000b", "reason": "a\\u0000b"}'
DEEP = "[" * 1000 + "]" * 1000


def _schema(client) -> dict:
    return json.loads(client.get("/api/schema/", {"format": "json"}).content)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def _concrete(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)


@pytest.fixture
def admin_api(api):
    admin = UserFactory(is_superuser=True, is_staff=True, organization=None)
    api.force_authenticate(admin)
    return api


@pytest.fixture
def ids():
    return {"id": AchievementFactory(status="published").pk, "pk": DemandFactory().pk}


def test_every_operation_refuses_control_characters_and_long_parameters(client, admin_api, ids):
    operations = list(_operations(_schema(client)))
    assert len(operations) > 80
    for path, method, _operation in operations:
        url = _concrete(path, ids)
        call = getattr(admin_api, method)
        for query in (
            f"tech_field={NUL}",
            f"status=a{CONTROL}",
            f"q={LONG}",
            f"{NUL}=1",
            f"q=a{SURROGATE_IN_URL}",
        ):
            response = call(f"{url}?{query}")
            assert response.status_code == 400, (method, url, query, response.status_code)
            assert "detail" in response.json()


def test_every_operation_refuses_bad_json_without_a_500(client, admin_api, ids):
    for path, method, operation in _operations(_schema(client)):
        if method not in ("post", "put", "patch"):
            continue
        takes_json = "application/json" in operation.get("requestBody", {}).get("content", {})
        url = _concrete(path, ids)
        for body in (SURROGATE, NUL_IN_JSON, DEEP):
            response = getattr(admin_api, method)(url, body, content_type="application/json")
            status = response.status_code
            assert status < 500, (method, url, body[:20], status)
            if takes_json and status not in (401, 403, 404, 405, 409, 429):
                assert status in (400, 415), (method, url, body[:20], status)


def _page_urls() -> list[str]:
    """Every page of the site (not the API or the admin), ids filled with 1."""
    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                urls.append(route)

    walk(get_resolver().url_patterns)
    pages = []
    for route in urls:
        if route.startswith(("api/", "admin/", "^", "static/")) or "(?P" in route:
            continue
        path = re.sub(r"<int:\w+>", "1", route)
        path = re.sub(r"<(slug:)?\w+>", "x", path)
        pages.append("/" + path)
    return sorted(set(pages))


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_refuses_control_characters_and_long_parameters(client, signed_in):
    if signed_in:
        client.force_login(UserFactory(is_superuser=True, is_staff=True, organization=None))
    pages = _page_urls()
    assert len(pages) > 60
    for page in pages:
        for query in (
            f"tech_field={NUL}",
            f"industry=a{CONTROL}",
            f"q={LONG}",
            f"q={SURROGATE_IN_URL}",
        ):
            response = client.get(f"{page}?{query}")
            assert response.status_code == 400, (page, query, response.status_code)
            assert 'data-testid="bad-request"' in response.content.decode()


def test_a_query_of_155_words_answers_on_every_search(client, api):
    words = " ".join(f"词{i}测试" for i in range(155))
    for url in (
        "/api/v1/achievements/",
        "/api/v1/demands/",
        "/api/v1/scenarios/",
        "/api/v1/experts/",
        "/api/v1/cases/",
        "/achievements/",
        "/demands/",
        "/scenarios/",
        "/experts/",
        "/cases/",
        "/search/",
    ):
        assert client.get(url, {"q": words}).status_code == 200, url


def test_a_long_query_is_cut_to_its_documented_length(api):
    AchievementFactory(title="石墨烯散热膜", status="published")
    padded = "石墨烯" + "　" * 200 + "完全无关的词"
    found = api.get("/api/v1/achievements/", {"q": padded}).json()
    assert found["count"] == 1  # the words past SEARCH_MAX_CHARS are not searched


def test_the_experts_and_cases_filters_are_in_the_schema_and_validated(client, api):
    schema = _schema(client)
    for path, names in (
        ("/api/v1/experts/", {"q", "tech_field", "industry", "available"}),
        ("/api/v1/cases/", {"q", "tech_field"}),
    ):
        parameters = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert names <= parameters, path
        assert api.get(path, {"tech_field": "nonsense"}).status_code == 400


def test_a_valuation_of_1e27_is_a_400(api):
    for body in (
        {"method": "cost", "replacement_cost": "1e27", "years_used": 1, "years_remaining": 1},
        {"method": "income", "revenues": ["1e27"], "profit_margin": "0.5", "discount_rate": "0.1"},
        {"method": "cost", "replacement_cost": "100", "years_used": "1e27", "years_remaining": 1},
    ):
        response = api.post("/api/v1/evaluation-tools/valuation/", body, format="json")
        assert response.status_code == 400, body


def test_an_evaluation_report_takes_no_huge_or_broken_inputs(api):
    from tests.factories import OrganizationFactory, member_of

    org = OrganizationFactory(kind="university")
    item = AchievementFactory(organization=org, status="published")
    api.force_authenticate(member_of(org))
    url = f"/api/v1/achievements/{item.pk}/evaluations/"
    big = {"kind": "trl", "inputs": {"answers": {}, "padding": "x" * 30_000}}
    assert api.post(url, big, format="json").status_code == 400
    for broken in (
        '{"kind": "trl", "inputs": {"answers": {}, "note": "\\ud800"}}',
        '{"kind": "trl", "inputs": {"answers": {}, "note": "a\\u0000"}}',
    ):
        assert api.post(url, broken, content_type="application/json").status_code == 400


def test_a_saved_search_longer_than_its_column_is_refused(client):
    from tests.factories import OrganizationFactory, member_of

    client.force_login(member_of(OrganizationFactory()))
    query = "q=" + "电机" * 400
    response = client.post("/subscriptions/", {"library": "achievements", "query": query})
    assert response.status_code in (200, 302)
    from portal.core.models import Subscription

    assert not Subscription.objects.exists()
