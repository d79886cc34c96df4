"""An officer publishes an achievement; staff approve it; anyone finds it."""

import pytest

from achievements.models import Achievement
from tests.browser.conftest import Shots, sign_in, sign_out
from tests.factories import PASSWORD, OrganizationFactory, StaffFactory, member_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_create_submit_approve_then_found_in_public_search(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    university = OrganizationFactory(kind="university", name="武汉测试大学")
    member_of(university, username="officer")
    StaffFactory(username="reviewer")
    pdf = tmp_path / "成果简介.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    shot = Shots(page, "library")

    # (a) the officer creates an achievement with a PDF and submits it
    sign_in(page, "officer", PASSWORD)
    page.goto(f"{page.base}/achievements/new/")
    page.fill("#id_title", "钙钛矿叠层太阳能电池封装技术")
    page.fill("#id_summary", "一种提高钙钛矿组件寿命的封装工艺。")
    page.select_option("#id_tech_field", "energy")
    page.check("#id_industries_4")  # 新能源和智能网联汽车
    page.fill("#id_keywords", "钙钛矿，封装")
    page.select_option("#id_trl", "6")
    page.check("#id_transfer_modes_0")
    page.set_input_files("#id_files", str(pdf))
    shot("form")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    assert page.inner_text("[data-testid=status]") == "草稿"
    page.click("[data-action=submit]")
    page.wait_for_selector("text=操作成功")
    assert page.inner_text("[data-testid=status]") == "待审核"
    assert "成果简介.pdf" in page.content()
    shot("submitted")
    sign_out(page)

    # not public yet
    page.goto(f"{page.base}/achievements/?q=钙钛矿")
    assert "共 0 条结果" in page.inner_text("[data-testid=result-count]")

    # (b) staff approve it from the review queue
    sign_in(page, "reviewer", PASSWORD)
    page.goto(f"{page.base}/review/")
    assert "钙钛矿叠层太阳能电池封装技术" in page.content()
    shot("review-queue")
    page.click("[data-testid=queue-row] summary")  # approve, with an optional comment
    page.click("[data-testid=queue-row] [data-action=approve]")
    page.wait_for_selector("text=已审核通过并发布 1 项")
    sign_out(page)

    # it appears in public search, highlighted
    page.goto(f"{page.base}/")
    page.fill("#home-q", "钙钛矿")
    page.press("#home-q", "Enter")
    page.wait_for_selector("[data-testid=group-achievements]")
    group = page.inner_text("[data-testid=group-achievements]")
    assert "钙钛矿叠层太阳能电池封装技术" in group
    assert page.inner_text("[data-testid=group-achievements] mark") == "钙钛矿"
    shot("public-search")
    page.goto(f"{page.base}/achievements/?q=钙钛矿")
    assert "共 1 条结果" in page.inner_text("[data-testid=result-count]")
    assert Achievement.objects.get().status == "published"
