"""Issue 15's journey in Chromium: list → notice → two parties register and pay
→ close → auction → a late bid extends → close → winner → contract →
registered → certificate downloaded. The clock is the test's: periods are set
to a trial market's zero, and the lot's end is moved where a step needs it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from market.models import Auction, Listing
from market.services import bids
from tests.browser.conftest import Shots, sign_in, sign_out
from tests.factories import (
    PASSWORD,
    AchievementFactory,
    OrganizationFactory,
    StaffFactory,
    member_of,
)
from tests.market import flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def click_action(page, name: str, done: str = "") -> None:
    page.click(f"[data-action={name}]")
    page.wait_for_load_state()
    if done:
        page.wait_for_selector(f"text={done}")


def test_a_listing_goes_to_auction_and_ends_with_a_certificate(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    flow.enter_calendar()
    flow.trial_rules(auction_notice_days=0, auction_min_hours=1)
    holder = OrganizationFactory(kind="university", name="武汉示范大学", region_code="420111")
    member_of(holder, username="officer")
    for name, user in (("甲科技有限公司", "buyer_a"), ("乙制造有限公司", "buyer_b")):
        member_of(OrganizationFactory(kind="enterprise", name=name), username=user)
    StaffFactory(username="staff")
    achievement = AchievementFactory(
        organization=holder, status="published", title="高导热石墨烯散热膜制备技术"
    )
    decision = tmp_path / "决策文件.pdf"
    decision.write_bytes(PDF)
    shot = Shots(page, "auction")

    # The officer lists the achievement.
    sign_in(page, "officer", PASSWORD)
    page.goto(f"{page.base}/market/listings/new/?achievement={achievement.pk}")
    page.select_option("#id_achievement", str(achievement.pk))
    page.fill("#id_listing_price", "1000000.00")
    page.fill("#id_deposit_rate", "0.10")
    page.fill("#id_auction_increment", "10000.00")
    page.set_input_files("#id_decision_document", str(decision))
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    click_action(page, "submit", "已提交审核")
    listing_url = page.url
    shot("submitted")
    sign_out(page)

    # Staff approve: the notice is published.
    sign_in(page, "staff", PASSWORD)
    page.goto(listing_url)
    click_action(page, "approve", "审核通过：公告已发布")
    assert page.locator("[data-testid=publicity]").count() == 1
    sign_out(page)

    # Two enterprises register.
    for user in ("buyer_a", "buyer_b"):
        sign_in(page, user, PASSWORD)
        page.goto(listing_url)
        click_action(page, "register", "登记成功")
        sign_out(page)

    # Staff qualify both, record their deposits, and close the notice.
    sign_in(page, "staff", PASSWORD)
    page.goto(listing_url)
    for _ in range(2):
        page.locator("[data-action=qualify]").first.click()
        page.wait_for_selector("text=资格审核通过。")
        page.locator("[data-action=deposit_received]").first.click()
        page.wait_for_selector("text=已记录保证金。")
    assert page.locator("[data-testid=ledger]").inner_text().count("200,000.00") >= 1
    shot("qualified")
    click_action(page, "close_notice", "公告期已结束处理")
    page.click("[data-testid=lot-link]")
    page.wait_for_selector("[data-testid=countdown]")
    lot_url = page.url
    sign_out(page)
    lot = Auction.objects.get()
    assert Listing.objects.get().status == Listing.Status.BIDDING

    # Buyer A bids the start; its page follows buyer B's bid without a reload.
    sign_in(page, "buyer_a", PASSWORD)
    page.goto(lot_url)
    page.fill("#id_amount", "1000000.00")
    page.click("[data-testid=bid-button]")
    page.wait_for_selector("text=第 1 次出价有效")
    code_a = page.locator("[data-testid=my-code]").inner_text()
    from accounts.models import User

    bids.bid_place(
        auction=lot, by=User.objects.get(username="buyer_b"), amount=1010000, request_id="b-1"
    )
    expect(page.locator("[data-testid=current-price]")).to_contain_text("1,010,000")
    assert page.locator("[data-testid=leader]").inner_text() != code_a
    assert page.locator("[data-testid=server-time]").inner_text()

    # Twenty seconds before the end, A bids again: the end moves.
    soon = timezone.now() + datetime.timedelta(seconds=20)
    Auction.objects.filter(pk=lot.pk).update(scheduled_end_at=soon, ends_at=soon)
    page.goto(lot_url)
    page.fill("#id_amount", "1020000.00")
    page.click("[data-testid=bid-button]")
    page.wait_for_selector("text=竞价延时至")
    lot.refresh_from_db()
    assert lot.extensions_used == 1 and lot.ends_at > soon
    shot("extended")
    sign_out(page)

    # The lot ends; staff open it and it closes; the winner confirms.
    past = timezone.now() - datetime.timedelta(seconds=1)
    Auction.objects.filter(pk=lot.pk).update(scheduled_end_at=past, ends_at=past)
    sign_in(page, "staff", PASSWORD)
    page.goto(lot_url)
    page.wait_for_selector("[data-testid=hammer-price]")
    assert "1,020,000.00" in page.locator("[data-testid=hammer-price]").inner_text()
    sign_out(page)
    sign_in(page, "buyer_a", PASSWORD)
    page.goto(lot_url)
    click_action(page, "confirm", "已确认")
    page.click("[data-testid=contract-link]")
    page.wait_for_selector("[data-testid=pricing-method]")
    assert "免予资产评估" in page.locator("[data-testid=pricing-method]").inner_text()
    contract_url = page.url  # the winner's administrator drafted it: the buyer's side is confirmed
    sign_out(page)

    # The officer attaches the signed contract and submits; staff register it.
    contract_pdf = tmp_path / "合同.pdf"
    contract_pdf.write_bytes(PDF)
    sign_in(page, "officer", PASSWORD)
    page.goto(contract_url)
    page.set_input_files("#id_file", str(contract_pdf))
    page.click("button:has-text('上传')")
    page.wait_for_load_state()  # a new document: the buyer confirms again
    sign_out(page)
    sign_in(page, "buyer_a", PASSWORD)
    page.goto(contract_url)
    click_action(page, "confirm")
    sign_out(page)
    sign_in(page, "officer", PASSWORD)
    page.goto(contract_url)
    click_action(page, "submit")
    sign_out(page)
    sign_in(page, "staff", PASSWORD)
    page.goto(contract_url)
    click_action(page, "register")
    page.wait_for_selector("[data-testid=registration-number]")
    sign_out(page)

    # The buyer downloads the transaction certificate.
    sign_in(page, "buyer_a", PASSWORD)
    page.goto(listing_url)
    page.wait_for_selector("[data-testid=certificate-number]")
    with page.expect_download() as download:
        page.click("[data-testid=certificate-link]")
    assert download.value.suggested_filename.startswith("JYPZ-")
    shot("certificate")
    assert Listing.objects.get().status == Listing.Status.SETTLED


def test_the_lot_page_fits_a_phone(page, settings):
    flow.enter_calendar()
    people = flow.cast()
    lot = flow.open_bidding(flow.announced_lot(people))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{page.base}{lot.get_absolute_url()}")
    page.wait_for_selector("[data-testid=countdown]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    Shots(page, "auction-phone")("lot")
