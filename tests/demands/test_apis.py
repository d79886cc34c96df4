import datetime

import pytest

from demands.models import Demand
from tests.factories import DemandFactory, OrganizationFactory, StaffFactory, member_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/demands/"
TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
PAYLOAD = {
    "title": "磷石膏综合利用",
    "description": "寻求磷石膏制建材技术。",
    "tech_field": "environment",
    "industries": ["green_chem"],
    "keywords": ["磷石膏"],
    "budget_min": "100000.00",
    "budget_max": "500000.00",
    "deadline": TOMORROW,
    "cooperation_modes": ["purchase"],
    "is_challenge": True,
    "reward": "300000.00",
}
FIELDS = {
    "id",
    "title",
    "description",
    "organization",
    "tech_field",
    "industries",
    "keywords",
    "budget_min",
    "budget_max",
    "deadline",
    "cooperation_modes",
    "is_challenge",
    "reward",
    "status",
    "reject_reason",
    "region_code",
    "market",
    "created_at",
    "published_at",
}


@pytest.fixture
def member():
    return member_of(OrganizationFactory(kind="enterprise", region_code="420506"))


def test_post_submit_approve_close(api, member):
    api.force_authenticate(member)
    body = api.post(URL, PAYLOAD, format="json").json()
    assert FIELDS <= set(body) and body["market"] == "yichang"
    url = f"{URL}{body['id']}/"
    assert api.post(f"{url}submit/").json()["status"] == "pending"
    api.force_authenticate(StaffFactory())
    assert api.post(f"{url}approve/").json()["status"] == "published"
    assert api.post(f"{url}close/").status_code == 403
    api.force_authenticate(member)
    assert api.post(f"{url}close/").json()["status"] == "closed"
    assert api.post(f"{url}close/").status_code == 409


def test_budget_min_above_max_is_a_400(api, member):
    api.force_authenticate(member)
    response = api.post(
        URL, {**PAYLOAD, "budget_min": "600000", "budget_max": "100000"}, format="json"
    )
    assert response.status_code == 400 and "budget_max" in response.json()
    assert not Demand.objects.exists()


def test_a_past_deadline_is_a_400_on_submit(api, member):
    api.force_authenticate(member)
    body = api.post(URL, {**PAYLOAD, "deadline": "2020-01-01"}, format="json").json()
    response = api.post(f"{URL}{body['id']}/submit/")
    assert response.status_code == 400 and "deadline" in response.json()
    assert Demand.objects.get().status == "draft"


def test_universities_cannot_post_demands(api):
    api.force_authenticate(member_of(OrganizationFactory(kind="university")))
    assert api.post(URL, PAYLOAD, format="json").status_code == 403


def test_budget_filters_find_overlapping_ranges(api):
    low = DemandFactory(status="published", budget_min=10000, budget_max=50000)
    high = DemandFactory(status="published", budget_min=1000000, budget_max=3000000)
    open_ = DemandFactory(status="published", budget_min=None, budget_max=None)

    def ids(query):
        return {r["id"] for r in api.get(f"{URL}?{query}").json()["results"]}

    assert ids("budget_min=800000") == {high.pk, open_.pk}
    assert ids("budget_max=60000") == {low.pk, open_.pk}
    assert ids("budget_min=20000&budget_max=40000") == {low.pk, open_.pk}
