import re
from pathlib import Path

import polib
import pytest

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_home_speaks_chinese_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<title>湖北技术交易市场</title>" in html
    assert "五库一目录" in html and "湖北技术交易大市场" in html


def test_an_english_browser_still_gets_chinese_until_it_switches(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "五库一目录" in html


def test_the_language_switch_gives_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Five libraries and one catalogue" in html
    assert "五库一目录" not in html


def test_pages_show_each_role_its_own_navigation(client):
    from accounts.models import Market

    assert "机构认证" not in client.get("/").content.decode()
    client.force_login(
        UserFactory(organization=None, staff_market=Market.objects.get(code="wuhan"))
    )
    assert "机构认证" in client.get("/").content.decode()


def test_not_found_is_a_chinese_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_is_a_chinese_page(client):
    client.force_login(UserFactory())
    response = client.get("/accounts/organizations/verify/")
    assert response.status_code == 403
    assert "无权" in response.content.decode()


def test_flash_messages_are_shown(client):
    from accounts.models import Market
    from tests.factories import OrganizationFactory, StaffFactory

    org = OrganizationFactory(region_code="420606", verified=False)
    client.force_login(StaffFactory(staff_market=Market.objects.get(code="yichang")))
    response = client.post(f"/accounts/organizations/{org.pk}/verify/", follow=True)
    assert 'role="alert"' in response.content.decode()
    assert "只有该机构所属市场的工作人员才能认证该机构" in response.content.decode()


def test_no_page_template_loads_anything_from_the_internet():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"""(src|href)=["']?(https?:)?//""", text):
            offenders.append(str(path))
    assert offenders == []


def test_vendored_assets_exist_and_their_versions_are_noted():
    vendor = ROOT / "static" / "vendor"
    assert (vendor / "bootstrap" / "bootstrap.min.css").stat().st_size > 100_000
    notes = (vendor / "README.md").read_text(encoding="utf-8")
    version = re.search(
        r"Bootstrap\s+v(\d+\.\d+\.\d+)",
        (vendor / "bootstrap" / "bootstrap.min.css").read_text()[:200],
    ).group(1)
    assert version in notes


def test_the_chinese_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(ROOT / "locale/zh_Hans/LC_MESSAGES/django.mo"))
    assert {e.msgid: e.msgstr for e in mo} == {e.msgid: e.msgstr for e in po}


def test_pages_are_responsive():
    base = (ROOT / "templates/base.html").read_text(encoding="utf-8")
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in base


def test_the_server_error_page_is_chinese_and_standalone(client, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("boom/", boom)]})
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "服务器出现错误" in response.content.decode()
