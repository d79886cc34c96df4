"""The contract form at provincial scale (issue 16, point 11): type-ahead
choices instead of every organisation in the page."""

import pytest
from django.utils import timezone

from tests.factories import (
    AchievementFactory,
    BrokerFactory,
    DemandFactory,
    OrganizationFactory,
)

pytestmark = pytest.mark.django_db


def test_the_choices_are_narrowed_and_named_with_their_organisation(client):
    seller = OrganizationFactory(kind="university", name="江汉示范大学")
    other = OrganizationFactory(kind="university", name="荆楚示范学院")
    buyer = OrganizationFactory(kind="enterprise", name="光谷示范公司")
    OrganizationFactory(name="江汉未认证公司", verified=False)
    now = timezone.now()
    mine = AchievementFactory(organization=seller, status="published", published_at=now)
    AchievementFactory(organization=other, status="published", published_at=now)
    AchievementFactory(organization=seller)  # a draft
    wanted = DemandFactory(organization=buyer, status="published", published_at=now)
    DemandFactory(status="published", published_at=now)
    client.force_login(BrokerFactory())
    orgs = client.get("/contracts/choices/", {"field": "seller", "q": "江汉"}).json()["results"]
    assert [o["value"] for o in orgs] == [seller.pk]  # the unverified one is not offered
    items = client.get("/contracts/choices/", {"field": "achievement", "seller": seller.pk}).json()[
        "results"
    ]
    assert [i["value"] for i in items] == [mine.pk] and "江汉示范大学" in items[0]["text"]
    demands = client.get("/contracts/choices/", {"field": "demand", "buyer": buyer.pk}).json()
    assert [d["value"] for d in demands["results"]] == [wanted.pk]
    assert client.get("/contracts/choices/", {"field": "nothing"}).json()["results"] == []


def test_the_form_does_not_list_every_organisation(client):
    for n in range(30):
        OrganizationFactory(name=f"示范机构{n:02d}")
    client.force_login(BrokerFactory())
    page = client.get("/contracts/new/").content.decode()
    assert "示范机构" not in page and "data-typeahead" in page


def test_the_choices_need_sign_in(client):
    assert client.get("/contracts/choices/", {"field": "buyer"}).status_code == 302
