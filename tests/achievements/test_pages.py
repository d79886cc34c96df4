import io

import pytest
from openpyxl import load_workbook

from accounts.models import Market
from achievements.models import Achievement
from tests.factories import AchievementFactory, OrganizationFactory, StaffFactory, member_of
from tests.files import EXE, PDF, upload

pytestmark = pytest.mark.django_db

FORM = {
    "title": "石墨烯散热膜",
    "summary": "简介",
    "description": "描述",
    "tech_field": "materials",
    "industries": ["materials"],
    "keywords": "石墨烯，散热",
    "trl": "6",
    "completers": "张三、李四",
    "patents": "ZL202110123456.7",
    "transfer_modes": ["transfer"],
    "pricing_mode": "negotiated",
    "asking_price": "",
}


@pytest.fixture
def officer():
    return member_of(OrganizationFactory(kind="university", region_code="420111"))


def test_public_list_searches_and_keeps_facets_in_the_url(client):
    AchievementFactory(title="石墨烯散热膜", status="published", tech_field="materials", trl=7)
    AchievementFactory(title="石墨烯电池", status="published", tech_field="energy", trl=7)
    AchievementFactory(title="石墨烯草稿", status="draft", tech_field="materials")
    response = client.get(
        "/achievements/", {"q": "石墨烯", "tech_field": "materials", "trl_min": "5"}
    )
    html = response.content.decode()
    assert "<mark>石墨烯</mark>散热膜" in html
    assert "石墨烯电池" not in html and "石墨烯草稿" not in html
    assert 'value="石墨烯"' in html  # the search box keeps its state
    assert '<option value="materials" selected>' in html
    assert 'name="trl_min" value="5"' in html


def test_the_list_never_shows_unpublished_items_even_when_asked(client):
    AchievementFactory(title="草稿成果", status="draft")
    assert "草稿成果" not in client.get("/achievements/?status=draft").content.decode()


def test_bad_facet_values_show_an_empty_list_not_an_error(client):
    AchievementFactory(status="published")
    response = client.get("/achievements/?trl_min=abc")
    assert response.status_code == 200


def test_create_with_files_then_submit(client, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    response = client.post("/achievements/new/", {**FORM, "files": [upload("说明.pdf", PDF)]})
    item = Achievement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/achievements/{item.pk}/"
    assert item.keywords == ["石墨烯", "散热"] and item.completers == ["张三", "李四"]
    assert item.attachments.count() == 1
    client.post(f"/achievements/{item.pk}/submit/")
    item.refresh_from_db()
    assert item.status == "pending"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trl": "10"}, "技术就绪水平"),
        ({"patents": "ZL2021"}, "专利号"),
        ({"asking_price": "-5"}, "0"),
        ({"tech_field": "alchemy"}, "alchemy"),
        ({"pricing_mode": "listed"}, "挂牌价格"),
    ],
)
def test_bad_input_redisplays_the_form_with_chinese_messages(client, officer, change, message):
    client.force_login(officer)
    response = client.post("/achievements/new/", {**FORM, **change})
    html = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in html and message in html
    assert 'value="石墨烯散热膜"' in html
    assert not Achievement.objects.exists()


def test_a_bad_file_saves_nothing_not_even_the_item(client, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    response = client.post("/achievements/new/", {**FORM, "files": [upload("a.pdf", EXE)]})
    assert response.status_code == 200
    assert "不是允许的文件类型" in response.content.decode()
    assert not Achievement.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_detail_shows_actions_by_role(client, officer):
    from achievements.services import achievement_submit

    item = AchievementFactory(organization=officer.organization)
    achievement_submit(achievement=item, by=officer)
    client.force_login(officer)
    html = client.get(f"/achievements/{item.pk}/").content.decode()
    assert 'data-action="approve"' not in html and "处理记录" in html
    client.force_login(StaffFactory())
    html = client.get(f"/achievements/{item.pk}/").content.decode()
    assert 'data-action="approve"' in html and "退回原因" in html
    client.force_login(StaffFactory(staff_market=Market.objects.get(code="yichang")))
    assert client.get(f"/achievements/{item.pk}/").status_code == 404


def test_review_queue_approve_and_reject_with_reason(client):
    wuhan = AchievementFactory(
        title="武汉成果", status="pending", organization=OrganizationFactory(kind="university")
    )
    other = AchievementFactory(
        title="宜昌成果",
        status="pending",
        organization=OrganizationFactory(kind="university", region_code="420502"),
    )
    client.force_login(StaffFactory(staff_market=Market.objects.get(code="yichang")))
    html = client.get("/review/").content.decode()
    assert "宜昌成果" in html and "武汉成果" not in html
    response = client.post(
        f"/achievements/{other.pk}/reject/", {"reason": "", "next": "/review/"}, follow=True
    )
    assert "请填写退回原因" in response.content.decode()
    other.refresh_from_db()
    assert other.status == "pending"
    client.post(f"/achievements/{other.pk}/reject/", {"reason": "材料不全", "next": "/review/"})
    other.refresh_from_db()
    assert (other.status, other.reject_reason) == ("rejected", "材料不全")
    response = client.post(f"/achievements/{wuhan.pk}/approve/")
    assert response.status_code == 404


def test_a_wrong_status_shows_a_message_not_an_error(client, officer):
    item = AchievementFactory(organization=officer.organization, status="published")
    client.force_login(officer)
    response = client.post(f"/achievements/{item.pk}/submit/", follow=True)
    assert response.status_code == 200 and "不能进行此操作" in response.content.decode()


def test_an_open_redirect_is_not_followed(client, officer):
    item = AchievementFactory(organization=officer.organization, status="published")
    client.force_login(officer)
    response = client.post(
        f"/achievements/{item.pk}/withdraw/", {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == f"/achievements/{item.pk}/"


def test_my_achievements_lists_every_status_of_my_organisation(client, officer):
    AchievementFactory(organization=officer.organization, title="我的草稿")
    AchievementFactory(title="别人的草稿")
    client.force_login(officer)
    html = client.get("/achievements/mine/").content.decode()
    assert "我的草稿" in html and "别人的草稿" not in html


def test_export_follows_the_filters(client):
    AchievementFactory(title="甲成果", status="published", tech_field="materials")
    AchievementFactory(title="乙成果", status="published", tech_field="energy")
    response = client.get("/achievements/?tech_field=materials&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "成果名称"
    assert [r[1] for r in rows[1:]] == ["甲成果"]


def test_list_and_detail_run_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    items = [AchievementFactory(status="published") for _ in range(25)]
    with django_assert_max_num_queries(6):
        client.get("/achievements/")
    with django_assert_max_num_queries(6):
        client.get(f"/achievements/{items[0].pk}/")


def test_my_list_exports_every_status(client, officer):
    AchievementFactory(organization=officer.organization, title="草稿甲")
    AchievementFactory(organization=officer.organization, title="已发布乙", status="published")
    client.force_login(officer)
    response = client.get("/achievements/mine/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[1:]) == ["已发布乙", "草稿甲"]
