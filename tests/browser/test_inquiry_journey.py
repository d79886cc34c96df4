"""Issue 16's journey in Chromium: an enterprise finds a recommendation → sends
an inquiry → the university replies and accepts → they agree → the contract
is registered → the deal closes the inquiry → its certificate is verified on
the public page; then the thread and the check at phone width."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inquiries.models import Inquiry
from matching.models import Match
from tests.browser.conftest import Shots, sign_in, sign_out
from tests.factories import (
    PASSWORD,
    AchievementFactory,
    ContractFactory,
    DemandFactory,
    OrganizationFactory,
    member_of,
)
from tests.market import flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_recommendation_to_a_verified_certificate(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    flow.enter_calendar()
    university = OrganizationFactory(kind="university", name="武汉示范大学")
    enterprise = OrganizationFactory(kind="enterprise", name="江城降噪科技有限公司")
    member_of(university, username="officer")
    member_of(enterprise, username="buyer")
    now = timezone.now()
    achievement = AchievementFactory(
        organization=university, status="published", published_at=now, title="多孔吸声材料制备技术"
    )
    demand = DemandFactory(
        organization=enterprise, status="published", published_at=now, title="降低厂界噪音"
    )
    Match.objects.create(demand=demand, achievement=achievement, score=0.82, reasons=[])
    shot = Shots(page, "inquiry")

    # The enterprise sees the recommendation on its demand and asks about it.
    sign_in(page, "buyer", PASSWORD)
    page.goto(f"{page.base}{demand.get_absolute_url()}")
    page.click("[data-testid=match] [data-testid=inquire]")
    page.wait_for_selector("#id_message")
    page.click("button:has-text('发送')")  # empty: refused, the choice kept
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.select_option("#id_kind", "license")
    page.fill("#id_message", "我们希望以普通许可方式使用该技术，能否面谈？")
    page.check("#id_broker_requested")
    page.click("button:has-text('发送')")
    expect(page.locator("[data-testid=status]")).to_contain_text("已发送")
    shot("sent")
    inquiry_url = page.url
    sign_out(page)

    # The university reads it, replies and accepts: contacts are shown.
    sign_in(page, "officer", PASSWORD)
    page.goto(f"{page.base}/inquiries/")
    expect(page.locator("[data-testid=inquiry]").first).to_contain_text("未读")
    page.click("[data-testid=inquiry] a")
    page.fill("#id_text", "欢迎来校面谈，下周二上午可以。")
    page.click("button:has-text('发送')")
    expect(page.locator("[data-testid=status]")).to_contain_text("已回复")
    page.click("button:has-text('接受并公开联系方式')")
    expect(page.locator("[data-testid=contacts]")).to_contain_text("buyer@example.cn")
    shot("accepted")
    sign_out(page)

    # They agree; the contract is registered (its own journey is tested elsewhere).
    contract = ContractFactory(buyer=enterprise, seller=university)
    sign_in(page, "buyer", PASSWORD)
    page.goto(inquiry_url)
    page.click("summary:has-text('结束对接')")
    page.select_option("select[name=outcome]", "deal")
    page.fill("input[name=contract]", str(contract.pk))
    page.click("[data-action=close]")
    expect(page.locator("[data-testid=status]")).to_contain_text("达成交易")
    assert Inquiry.objects.get().contract_id == contract.pk
    shot("closed")
    sign_out(page)

    # Anyone checks the contract's certificate.
    page.goto(f"{page.base}/verify/?number={contract.registration_number}")
    expect(page.locator("[data-verified]")).to_contain_text("江城降噪科技有限公司")
    shot("verified")
    page.goto(f"{page.base}/verify/?number=4201002099000000")
    expect(page.locator("[data-missing]")).to_contain_text("未查到")

    # At phone width: the check and the thread fit.
    sign_in(page, "buyer", PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base}/verify/?number={contract.registration_number}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("verified-phone")
    page.goto(inquiry_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("thread-phone")
