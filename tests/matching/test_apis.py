import pytest

from accounts.models import Market
from matching.models import Match, MatchRun
from matching.services import match_item
from tests.factories import DemandFactory, OrganizationFactory, StaffFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(catalogue, enterprise):
    demand = DemandFactory(
        organization=enterprise,
        status="published",
        title="手机散热材料",
        description="高导热石墨烯膜",
        tech_field="materials",
    )
    match_item(side="demand", pk=demand.pk)
    return demand


def test_a_demands_matches_for_its_owner(api, published, catalogue):
    api.force_authenticate(member_of(published.organization))
    body = api.get(f"/api/v1/demands/{published.pk}/matches/").json()
    assert body[0]["achievement"]["id"] == catalogue["film"].pk
    assert set(body[0]) == {"id", "achievement", "score", "reasons", "feedback"}
    assert any("石墨烯" in r for r in body[0]["reasons"])
    assert [m["score"] for m in body] == sorted((m["score"] for m in body), reverse=True)


def test_an_achievements_matches_read_the_same_pairs(api, published, catalogue):
    api.force_authenticate(member_of(catalogue["film"].organization))
    body = api.get(f"/api/v1/achievements/{catalogue['film'].pk}/matches/").json()
    assert body[0]["demand"]["id"] == published.pk
    pair = Match.objects.get(demand=published, achievement=catalogue["film"])
    assert body[0]["score"] == pair.score


def test_who_may_read_matches(api, published):
    url = f"/api/v1/demands/{published.pk}/matches/"
    assert api.get(url).status_code == 401
    api.force_authenticate(member_of(OrganizationFactory()))
    assert api.get(url).status_code == 403  # sees the demand, not its recommendations
    api.force_authenticate(StaffFactory(staff_market=Market.objects.get(code="yichang")))
    assert api.get(url).status_code == 403  # out of scope
    api.force_authenticate(StaffFactory())
    assert api.get(url).status_code == 200


def test_feedback_endpoint(api, published, catalogue):
    match = Match.objects.get(demand=published, achievement=catalogue["coating"])
    url = f"/api/v1/matches/{match.pk}/feedback/"
    api.force_authenticate(member_of(OrganizationFactory()))
    assert api.post(url, {"verdict": "relevant"}, format="json").status_code == 404
    buyer = member_of(published.organization)
    api.force_authenticate(buyer)
    bad = api.post(url, {"verdict": "maybe"}, format="json")
    assert bad.status_code == 400 and "verdict" in bad.json()
    assert api.post(url, {"verdict": "irrelevant"}, format="json").json()["verdict"] == "irrelevant"
    ids = [m["id"] for m in api.get(f"/api/v1/demands/{published.pk}/matches/").json()]
    assert match.pk not in ids


def test_full_runs_through_the_api(api, published, django_capture_on_commit_callbacks):
    url = "/api/v1/matching/runs/"
    api.force_authenticate(member_of(published.organization))
    assert api.post(url).status_code == 403
    staff = StaffFactory()
    api.force_authenticate(staff)
    with django_capture_on_commit_callbacks(execute=True):
        started = api.post(url)
    assert started.status_code == 202
    assert set(started.json()) >= {"id", "status", "progress"}
    run_id = started.json()["id"]
    assert api.get(f"{url}{run_id}/").json()["status"] == "done"  # eager in tests
    active = MatchRun.objects.create(status="running")
    conflict = api.post(url)
    assert conflict.status_code == 409 and conflict.json()["id"] == active.pk


def test_recommended_experts(api, published):
    from experts.models import Expert
    from experts.services import expert_save

    expert_save(
        expert=Expert(name="王教授", keywords=["石墨烯", "导热"], tech_fields=["materials"])
    )
    api.force_authenticate(member_of(published.organization))
    body = api.get(f"/api/v1/demands/{published.pk}/experts/").json()
    assert body[0]["expert"]["name"] == "王教授" and body[0]["reasons"]


def test_the_demand_page_shows_recommendations_with_feedback_buttons(client, published, catalogue):
    client.force_login(member_of(published.organization))
    html = client.get(f"/demands/{published.pk}/").content.decode()
    assert "为您推荐" in html and 'data-testid="match"' in html
    assert "石墨烯高导热散热膜" in html and 'value="irrelevant"' in html
    client.force_login(member_of(OrganizationFactory()))
    assert "为您推荐" not in client.get(f"/demands/{published.pk}/").content.decode()


def test_feedback_from_the_page_hides_an_irrelevant_match(client, published, catalogue):
    buyer = member_of(published.organization)
    client.force_login(buyer)
    coating = Match.objects.get(demand=published, achievement=catalogue["coating"])
    client.post(
        f"/matching/{coating.pk}/feedback/",
        {"verdict": "irrelevant", "next": f"/demands/{published.pk}/"},
    )
    html = client.get(f"/demands/{published.pk}/").content.decode()
    assert "石墨烯改性防腐涂料" not in html


def test_the_board_shows_open_pairs_to_staff_and_brokers(client, published):
    from tests.factories import BrokerFactory

    client.force_login(StaffFactory())
    assert "手机散热材料" in client.get("/matching/").content.decode()
    client.force_login(BrokerFactory())
    assert client.get("/matching/").status_code == 200
    client.force_login(member_of(published.organization))
    assert client.get("/matching/").status_code == 403
