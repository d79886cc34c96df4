import pytest

from accounts.models import Market
from achievements.models import Achievement
from tests.factories import AchievementFactory, OrganizationFactory, StaffFactory, member_of
from tests.files import EXE, PDF, upload

pytestmark = pytest.mark.django_db
URL = "/api/v1/achievements/"

PAYLOAD = {
    "title": "石墨烯高导热散热膜",
    "summary": "面向5G基站的石墨烯散热膜。",
    "tech_field": "materials",
    "industries": ["materials", "optics_chips"],
    "keywords": ["石墨烯", "散热"],
    "trl": 6,
    "patents": ["ZL202110123456.7"],
    "transfer_modes": ["transfer"],
    "pricing_mode": "listed",
    "asking_price": "1500000.00",
    "completers": ["张三", "李四"],
}
FIELDS = {
    "id",
    "title",
    "summary",
    "description",
    "organization",
    "completers",
    "tech_field",
    "industries",
    "keywords",
    "trl",
    "patents",
    "transfer_modes",
    "pricing_mode",
    "asking_price",
    "status",
    "reject_reason",
    "region_code",
    "market",
    "created_at",
    "published_at",
}


@pytest.fixture
def university():
    return OrganizationFactory(kind="university", region_code="420602")  # Xiangyang


@pytest.fixture
def officer(university):
    return member_of(university)


def test_create_submit_approve_through_the_api(api, officer, university):
    api.force_authenticate(officer)
    response = api.post(URL, {**PAYLOAD, "status": "published", "organization": 999}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert FIELDS <= set(body)
    assert body["status"] == "draft"  # status is not writable
    assert body["organization"] == university.pk  # nor is the owner
    assert (body["region_code"], body["market"]) == ("420602", "xiangyang")
    assert body["asking_price"] == "1500000.00"

    item = f"{URL}{body['id']}/"
    assert api.post(f"{item}submit/").json()["status"] == "pending"
    assert api.post(f"{item}approve/").status_code == 403  # the owner cannot approve
    api.force_authenticate(StaffFactory(staff_market=Market.objects.get(code="xiangyang")))
    approved = api.post(f"{item}approve/").json()
    assert approved["status"] == "published" and approved["published_at"]
    assert api.post(f"{item}approve/").status_code == 409  # twice


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tech_field": "alchemy"}, "tech_field"),
        ({"trl": 0}, "trl"),
        ({"trl": 10}, "trl"),
        ({"patents": ["ZL2021101234567"]}, "patents"),
        ({"asking_price": "-1.00"}, "asking_price"),
        ({"asking_price": "1.234"}, "asking_price"),
        ({"title": ""}, "title"),
        ({"transfer_modes": ["gift"]}, "transfer_modes"),
    ],
)
def test_bad_input_is_a_400_on_the_field(api, officer, change, field):
    api.force_authenticate(officer)
    response = api.post(URL, {**PAYLOAD, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Achievement.objects.exists()


def test_anonymous_sees_only_published_and_a_draft_is_a_404(api, university):
    published = AchievementFactory(organization=university, status="published")
    draft = AchievementFactory(organization=university)
    ids = [a["id"] for a in api.get(URL).json()["results"]]
    assert ids == [published.pk]
    assert api.get(f"{URL}{draft.pk}/").status_code == 404
    assert api.post(URL, PAYLOAD, format="json").status_code == 401


def test_who_sees_a_draft(api, university, officer):
    draft = AchievementFactory(organization=university)
    url = f"{URL}{draft.pk}/"
    cases = [
        (officer, 200),
        (member_of(OrganizationFactory(kind="university")), 404),
        (StaffFactory(staff_market=Market.objects.get(code="xiangyang")), 200),
        (StaffFactory(staff_market=Market.objects.get(code="yichang")), 404),
        (StaffFactory(), 200),  # central
    ]
    for user, expected in cases:
        api.force_authenticate(user)
        assert api.get(url).status_code == expected, user
        listed = [a["id"] for a in api.get(URL).json()["results"]]
        assert (draft.pk in listed) == (expected == 200), user


def test_acting_out_of_scope(api, university, officer):
    pending = AchievementFactory(organization=university, status="pending")
    url = f"{URL}{pending.pk}/"
    api.force_authenticate(StaffFactory(staff_market=Market.objects.get(code="yichang")))
    assert api.post(f"{url}approve/").status_code == 404  # cannot even see it
    api.force_authenticate(member_of(OrganizationFactory()))
    published = AchievementFactory(organization=university, status="published")
    assert api.post(f"{URL}{published.pk}/withdraw/").status_code == 403  # sees, may not act
    assert api.patch(f"{URL}{published.pk}/", {"title": "x"}, format="json").status_code == 403
    api.force_authenticate(officer)
    assert api.post(f"{url}withdraw/").status_code == 409
    assert api.patch(f"{URL}{published.pk}/", {"title": "x"}, format="json").status_code == 409


def test_reject_needs_a_reason_and_the_owner_can_fix_and_resubmit(api, university, officer):
    item = AchievementFactory(organization=university, status="pending")
    api.force_authenticate(StaffFactory())
    assert api.post(f"{URL}{item.pk}/reject/", {}, format="json").status_code == 400
    rejected = api.post(f"{URL}{item.pk}/reject/", {"reason": "价格不明确"}, format="json")
    assert rejected.json()["reject_reason"] == "价格不明确"
    api.force_authenticate(officer)
    fixed = api.patch(
        f"{URL}{item.pk}/", {"pricing_mode": "listed", "asking_price": "80000"}, format="json"
    )
    assert fixed.status_code == 200 and fixed.json()["asking_price"] == "80000.00"
    assert api.post(f"{URL}{item.pk}/submit/").json()["status"] == "pending"


def test_filters_and_ordering(api):
    wuhan = OrganizationFactory(kind="university", region_code="420111")
    yichang = OrganizationFactory(kind="university", region_code="420502")
    a = AchievementFactory(
        organization=wuhan,
        status="published",
        tech_field="materials",
        industries=["materials"],
        trl=3,
        pricing_mode="listed",
        asking_price=200000,
    )
    b = AchievementFactory(
        organization=yichang,
        status="published",
        tech_field="materials",
        industries=["green_chem", "materials"],
        trl=8,
        pricing_mode="listed",
        asking_price=900000,
    )
    c = AchievementFactory(
        organization=yichang,
        status="published",
        tech_field="energy",
        trl=9,
        pricing_mode="negotiated",
    )

    def ids(query):
        response = api.get(f"{URL}?{query}")
        assert response.status_code == 200, response.json()
        return [r["id"] for r in response.json()["results"]]

    assert set(ids("tech_field=materials")) == {a.pk, b.pk}
    assert ids("industry=green_chem") == [b.pk]
    assert set(ids("trl_min=7")) == {b.pk, c.pk}
    assert ids("trl_min=4&trl_max=8") == [b.pk]
    assert set(ids("region_code=4205")) == {b.pk, c.pk}
    assert set(ids("market=yichang")) == {b.pk, c.pk}
    assert ids("pricing_mode=negotiated") == [c.pk]
    assert ids("price_max=500000") == [a.pk]
    assert ids(f"organization={wuhan.pk}") == [a.pk]
    assert ids("ordering=asking_price&pricing_mode=listed") == [a.pk, b.pk]
    assert ids("ordering=-asking_price&pricing_mode=listed") == [b.pk, a.pk]
    assert api.get(f"{URL}?tech_field=alchemy").status_code == 400
    assert api.get(f"{URL}?trl_min=abc").status_code == 400


def test_attachments_through_the_api(api, university, officer):
    item = AchievementFactory(organization=university)
    url = f"{URL}{item.pk}/attachments/"
    api.force_authenticate(officer)
    response = api.post(
        url, {"file": [upload("说明.pdf", PDF), upload("图.pdf", PDF)]}, format="multipart"
    )
    assert response.status_code == 201 and len(response.json()) == 2
    bad = api.post(url, {"file": [upload("setup.pdf", EXE)]}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()
    assert len(api.get(f"{URL}{item.pk}/").json()["attachments"]) == 2
    api.force_authenticate(member_of(OrganizationFactory()))
    assert api.post(url, {"file": [upload("a.pdf", PDF)]}, format="multipart").status_code == 404
    Achievement.objects.filter(pk=item.pk).update(status="published")
    api.force_authenticate(officer)
    assert api.post(url, {"file": [upload("a.pdf", PDF)]}, format="multipart").status_code == 409


def test_full_text_search_through_the_api(api):
    AchievementFactory(title="钙钛矿光伏组件封装技术", status="published")
    AchievementFactory(title="水稻育种新品系", status="published")
    results = api.get(f"{URL}?q=钙钛矿").json()["results"]
    assert [r["title"] for r in results] == ["钙钛矿光伏组件封装技术"]


def test_list_queries_are_bounded(api, django_assert_max_num_queries):
    for _ in range(3):
        AchievementFactory(status="published")
    with django_assert_max_num_queries(4):
        api.get(f"{URL}?page_size=3")
    for _ in range(20):
        AchievementFactory(status="published")
    with django_assert_max_num_queries(4):
        api.get(f"{URL}?page_size=23")
