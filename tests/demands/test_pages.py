import datetime

import pytest

from demands.models import Demand
from tests.factories import DemandFactory, OrganizationFactory, member_of

pytestmark = pytest.mark.django_db

FORM = {
    "title": "废水处理需求",
    "description": "寻求低成本技术",
    "tech_field": "environment",
    "keywords": "废水",
    "budget_min": "100000",
    "budget_max": "50000",
    "deadline": (datetime.date.today() + datetime.timedelta(days=10)).isoformat(),
    "cooperation_modes": ["purchase"],
}


def test_budget_min_above_max_redisplays_the_form(client):
    client.force_login(member_of(OrganizationFactory(kind="enterprise")))
    response = client.post("/demands/new/", FORM)
    assert response.status_code == 200 and "预算上限低于预算下限" in response.content.decode()
    assert not Demand.objects.exists()


def test_post_then_submit_a_demand(client):
    member = member_of(OrganizationFactory(kind="enterprise"))
    client.force_login(member)
    client.post("/demands/new/", {**FORM, "budget_max": "900000"})
    demand = Demand.objects.get()
    client.post(f"/demands/{demand.pk}/submit/")
    demand.refresh_from_db()
    assert demand.status == "pending"


def test_universities_cannot_open_the_demand_form(client):
    client.force_login(member_of(OrganizationFactory(kind="university")))
    assert client.get("/demands/new/").status_code == 403


def test_challenges_filter(client):
    DemandFactory(title="揭榜项目", status="published", is_challenge=True, reward=100000)
    DemandFactory(title="普通需求", status="published")
    html = client.get("/demands/?is_challenge=true").content.decode()
    assert "揭榜项目" in html and "普通需求" not in html
