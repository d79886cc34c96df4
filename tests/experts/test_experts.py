import random

import pytest
from django.core.exceptions import ValidationError

from experts import services
from experts.models import Expert, ExpertAssignment
from experts.selectors import experts_search
from portal.core.errors import NotPermitted
from tests.factories import (
    AchievementFactory,
    ContractFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def expert(name, org=None, fields=("materials",), keywords=("石墨烯",), user=None, **kw):
    return services.expert_save(
        expert=Expert(
            name=name,
            organization=org,
            tech_fields=list(fields),
            keywords=list(keywords),
            user=user,
            **kw,
        )
    )


@pytest.fixture
def achievement():
    return AchievementFactory(status="published", tech_field="materials", keywords=["石墨烯"])


def test_search_experts_by_expertise_and_field():
    expert("周教授", keywords=["石墨烯", "导热"], bio="长期研究碳纳米材料")
    expert("吴研究员", fields=("environment",), keywords=["废水处理"])

    def names(**kw):
        return [e.name for e in experts_search(**kw)]

    assert names(q="石墨烯") == ["周教授"]
    assert names(q="碳纳米") == ["周教授"]
    assert names(tech_field="environment") == ["吴研究员"]


def test_the_contact_is_private(client, achievement):
    e = expert("周教授", contact="13800000000")
    html = client.get(f"/experts/{e.pk}/").content.decode()
    assert "13800000000" not in html
    client.force_login(StaffFactory())
    assert "13800000000" in client.get(f"/experts/{e.pk}/").content.decode()
    owner = member_of(achievement.organization)
    client.force_login(owner)
    assert "13800000000" not in client.get(f"/experts/{e.pk}/").content.decode()
    expert("b"), expert("c")
    services.review_open(achievement=achievement, by=StaffFactory(), n=3)
    assert "13800000000" in client.get(f"/experts/{e.pk}/").content.decode()


def test_no_expert_ever_reviews_an_item_of_a_party_over_many_draws(achievement):
    owner = achievement.organization
    buyer = OrganizationFactory(kind="enterprise")
    ContractFactory(buyer=buyer, seller=owner, achievement=achievement)
    conflicted = [expert(f"内部{n}", org=owner) for n in range(5)]
    conflicted += [expert(f"买方{n}", org=buyer) for n in range(3)]
    fine = [expert(f"外部{n}", org=OrganizationFactory()) for n in range(6)]
    bad = {e.pk for e in conflicted}
    seen = set()
    for seed in range(300):
        drawn = services.draw_experts(achievement=achievement, n=3, rng=random.Random(seed))
        ids = {e.pk for e in drawn}
        assert not ids & bad
        seen |= ids
    assert seen == {e.pk for e in fine}  # and the draw reaches every qualified expert


def test_the_least_used_experts_are_drawn_first(achievement):
    busy = expert("忙碌专家")
    idle = [expert(f"空闲{n}") for n in range(3)]
    staff = StaffFactory()
    for _ in range(2):  # give the busy one a history
        other = AchievementFactory(status="published", tech_field="materials")
        review = services.review_open(achievement=other, by=staff, n=1, rng=random.Random(0))
        ExpertAssignment.objects.filter(review=review).update(expert=busy)
    review = services.review_open(achievement=achievement, by=staff, n=3, rng=random.Random(1))
    assert {a.expert for a in review.assignments.all()} == set(idle)
    assert all("新材料" in a.reason or "石墨烯" in a.reason for a in review.assignments.all())


def test_scoring_from_1_to_5_and_the_summary(achievement):
    users = [UserFactory(organization=None) for _ in range(2)]
    for n, user in enumerate(users):
        expert(f"专家{n}", user=user)
    review = services.review_open(achievement=achievement, by=StaffFactory(), n=2)
    first, second = review.assignments.order_by("expert__name")
    good = {"advancement": 5, "maturity": 4, "market": 3, "ip": 4}
    with pytest.raises(ValidationError) as exc:
        services.assignment_score(assignment=first, by=first.expert.user, scores={**good, "ip": 6})
    assert "ip" in exc.value.message_dict
    with pytest.raises(NotPermitted):
        services.assignment_score(assignment=first, by=second.expert.user, scores=good)
    services.assignment_score(
        assignment=first, by=first.expert.user, scores=good, comments="工艺成熟"
    )
    review.refresh_from_db()
    assert review.status == "open" and services.review_summary(review) is None
    services.assignment_score(
        assignment=second,
        by=second.expert.user,
        scores={"advancement": 3, "maturity": 4, "market": 5, "ip": 2},
    )
    review.refresh_from_db()
    summary = services.review_summary(review)
    assert (summary["advancement"], summary["market"], summary["overall"]) == (4.0, 4.0, 3.8)


def test_an_own_expert_and_a_stranger_are_told_apart_on_the_page(client, achievement):
    for n in range(3):
        expert(f"外部{n}")
    staff = StaffFactory()
    client.force_login(staff)
    client.post(f"/experts/reviews/open/{achievement.pk}/", {"n": "3"})
    assert achievement.expert_reviews.count() == 1
    html = client.get(f"/achievements/{achievement.pk}/").content.decode()
    assert "外部0" in html
    response = client.post(f"/experts/reviews/open/{achievement.pk}/", {"n": "9"}, follow=True)
    assert "只有" in response.content.decode() and achievement.expert_reviews.count() == 1


def test_experts_keep_their_own_profile(client):
    user = UserFactory(organization=None)
    e = expert("自己", user=user, contact="old")
    client.force_login(user)
    client.post(
        f"/experts/{e.pk}/edit/",
        {
            "name": "自己",
            "title": "教授",
            "keywords": "石墨烯",
            "bio": "",
            "contact": "new",
            "available": "on",
        },
    )
    e.refresh_from_db()
    assert (e.title, e.contact) == ("教授", "new")
    client.force_login(UserFactory())
    assert client.get(f"/experts/{e.pk}/edit/").status_code == 403


def test_the_experts_api_hides_the_contact(api):
    expert("公开专家", contact="secret@x.cn")
    body = api.get("/api/v1/experts/?q=石墨烯").json()
    assert body["results"][0]["name"] == "公开专家" and body["results"][0]["contact"] is None
    api.force_authenticate(StaffFactory())
    assert api.get("/api/v1/experts/").json()["results"][0]["contact"] == "secret@x.cn"
