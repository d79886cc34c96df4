"""Journeys (c) to (e) of issue 7, in Chromium: recommendation, contract and payment,
subsidy. (a) and (b) are in test_library_journey.py."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import Market
from contracts.models import Contract, Payment, SubsidyApplication
from tests.browser.conftest import Shots, sign_in, sign_out
from tests.factories import (
    PASSWORD,
    AchievementFactory,
    BrokerFactory,
    ContractFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    member_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_c_an_enterprise_posts_a_demand_and_sees_the_achievement_recommended(page):
    AchievementFactory(
        title="石墨烯高导热散热膜",
        summary="用于手机芯片散热的超薄导热膜",
        keywords=["石墨烯", "散热"],
        tech_field="materials",
        industries=["materials"],
        status="published",
        trl=7,
    )
    AchievementFactory(title="城市污水厌氧氨氧化脱氮", tech_field="environment", status="published")
    enterprise = OrganizationFactory(kind="enterprise", name="武汉手机整机公司")
    member_of(enterprise, username="buyer")
    StaffFactory(username="reviewer")
    shot = Shots(page, "recommendation")

    sign_in(page, "buyer", PASSWORD)
    page.goto(f"{page.base}/demands/new/")
    page.fill("#id_title", "手机芯片散热材料需求")
    page.fill("#id_description", "需要高导热的石墨烯散热膜，解决手机芯片发热问题。")
    page.select_option("#id_tech_field", "materials")
    page.check("#id_industries_3")  # 新材料
    page.fill("#id_keywords", "散热，石墨烯")
    deadline = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    page.fill("#id_deadline", deadline)
    page.check("#id_cooperation_modes_0")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    page.click("[data-action=submit]")
    page.wait_for_selector("text=操作成功")
    demand_url = page.url
    sign_out(page)

    sign_in(page, "reviewer", PASSWORD)
    page.goto(f"{page.base}/review/")
    page.click("[data-testid=queue-row] summary")  # approve, with an optional comment
    page.click("[data-testid=queue-row] [data-action=approve]")
    page.wait_for_selector("text=已审核通过并发布 1 项")
    sign_out(page)

    sign_in(page, "buyer", PASSWORD)
    page.goto(demand_url)
    page.wait_for_selector("[data-testid=recommendations]")
    first = page.locator("[data-testid=match]").first
    assert "石墨烯高导热散热膜" in first.inner_text()
    reasons = first.locator("[data-testid=reasons]").inner_text()
    assert "关键词重合" in reasons and "石墨烯" in reasons
    shot("recommended")


def choose(page, field: str, text: str) -> None:
    """Type into a type-ahead field and pick the option that names `text`."""
    page.fill(f"#{field}-ts-control", text[:4])
    page.click(f"#{field}-ts-dropdown .option:has-text('{text}')")


def test_d_a_broker_registers_a_contract_and_a_payment_and_staff_check_them(
    page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    buyer = OrganizationFactory(kind="enterprise", name="武汉买方公司", region_code="420111")
    seller = OrganizationFactory(kind="university", name="武汉卖方大学", region_code="420111")
    BrokerFactory(username="broker")
    StaffFactory(username="registrar")
    member_of(buyer, username="buyer_admin")
    member_of(seller, username="seller_admin")
    contract_pdf, receipt = tmp_path / "合同.pdf", tmp_path / "回单.pdf"
    contract_pdf.write_bytes(PDF)
    receipt.write_bytes(PDF)
    shot = Shots(page, "contract")

    sign_in(page, "broker", PASSWORD)
    page.goto(f"{page.base}/contracts/new/")
    page.fill("#id_title", "散热膜专利转让合同")
    page.select_option("#id_contract_type", "transfer")
    choose(page, "id_buyer", buyer.name)  # type-ahead: a province's organisations
    choose(page, "id_seller", seller.name)
    page.fill("#id_signed_on", "2025-03-01")
    page.fill("#id_valid_from", "2025-03-01")
    page.fill("#id_valid_to", "2027-03-01")
    page.fill("#id_amount", "1000000")
    page.fill("#id_tech_transaction_amount", "800000")
    page.select_option("#id_payment_method", "instalments")
    page.select_option("#id_tech_field", "materials")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    page.set_input_files("#id_file", str(contract_pdf))
    page.click("button:has-text('上传')")
    page.wait_for_selector("text=合同文本已上传")
    contract_url = page.url
    page.click("[data-action=submit]")
    page.wait_for_selector("text=等待确认")  # a broker's draft binds nobody yet
    sign_out(page)

    # Each party's administrator confirms it.
    for administrator in ("buyer_admin", "seller_admin"):
        sign_in(page, administrator, PASSWORD)
        page.goto(contract_url)
        page.click("[data-action=confirm]")
        page.wait_for_selector("text=已代表贵机构确认")
        sign_out(page)
    shot("confirmed")

    sign_in(page, "broker", PASSWORD)
    page.goto(contract_url)
    page.click("[data-action=submit]")
    page.wait_for_selector("text=已提交登记")
    shot("submitted")
    sign_out(page)

    sign_in(page, "registrar", PASSWORD)
    page.goto(contract_url)
    page.click("[data-action=register]")
    page.wait_for_selector("[data-testid=registration-number]")
    number = page.inner_text("[data-testid=registration-number]")
    assert len(number) == 16 and number.startswith("420100")
    sign_out(page)

    sign_in(page, "broker", PASSWORD)
    page.goto(contract_url)
    page.fill("#id_amount", "300000")
    page.fill("#id_paid_on", "2025-06-01")
    page.set_input_files("#id_evidence", str(receipt))
    page.click("button:has-text('登记付款')")
    page.wait_for_selector("text=付款已登记")
    sign_out(page)

    # The broker recorded it: the buyer stands behind it before staff verify it.
    sign_in(page, "buyer_admin", PASSWORD)
    page.goto(contract_url)
    page.click("[data-action=confirm-payment]")
    page.wait_for_selector("text=付款已确认")
    sign_out(page)

    sign_in(page, "registrar", PASSWORD)
    page.goto(contract_url)
    page.click("[data-action=verify-payment]")
    page.wait_for_selector("text=付款已核实")
    shot("verified")
    assert Contract.objects.get().status == "registered"
    assert Payment.objects.get().status == "verified"


def test_e_an_enterprise_applies_for_the_subsidy_and_sees_its_ledger(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    enterprise = OrganizationFactory(kind="enterprise", name="襄阳买方公司", region_code="420602")
    member_of(enterprise, username="applicant")
    contract = ContractFactory(
        buyer=enterprise, amount="3000000.00", tech_transaction_amount="3000000.00"
    )
    PaymentFactory(contract=contract, amount="1234567.80")
    program = ProgramFactory()
    StaffFactory(username="city", staff_market=Market.objects.get(code="xiangyang"))
    StaffFactory(username="province")
    shot = Shots(page, "subsidy")

    sign_in(page, "applicant", PASSWORD)
    page.goto(f"{page.base}/contracts/programs/{program.pk}/")
    assert page.inner_text("[data-testid=computed-amount]") == "¥123,456.78"  # 10%, half-up
    page.click("[data-action=apply]")
    page.wait_for_selector("text=已创建申请草稿")
    application_url = page.url
    # A second click on the programme opens this draft, not a new one.
    page.goto(f"{page.base}/contracts/programs/{program.pk}/")
    page.click("[data-action=continue]")
    assert page.url == application_url
    invoice = tmp_path / "发票.pdf"
    invoice.write_bytes(PDF)
    page.set_input_files("input[name=files]", str(invoice))
    page.click("[data-action=files]")
    expect(page.locator("[data-testid=documents]")).to_contain_text("发票.pdf")
    page.click("[data-action=submit]")
    page.wait_for_selector("[data-testid=status]:has-text('已提交')")
    shot("submitted")
    sign_out(page)

    # The city reviewer returns it with a reason; the enterprise adds a file and resubmits.
    sign_in(page, "city", PASSWORD)
    page.goto(application_url)
    page.fill("#sb", "请补充付款银行回单")
    page.click("[data-action=send_back]")
    expect(page.locator("[data-testid=status]")).to_contain_text("退回")
    sign_out(page)
    sign_in(page, "applicant", PASSWORD)
    page.goto(application_url)
    expect(page.locator("[data-testid=returned]")).to_contain_text("请补充付款银行回单")
    receipt = tmp_path / "回单.pdf"
    receipt.write_bytes(PDF)
    page.set_input_files("input[name=files]", str(receipt))
    page.click("[data-action=files]")
    expect(page.locator("[data-testid=documents]")).to_contain_text("回单.pdf")
    shot("returned")
    page.click("[data-action=submit]")
    page.wait_for_selector("[data-testid=status]:has-text('已提交')")
    sign_out(page)

    sign_in(page, "city", PASSWORD)
    page.goto(application_url)
    page.click("[data-action=city_review]")
    page.wait_for_selector("text=初审已通过")
    sign_out(page)

    sign_in(page, "province", PASSWORD)
    page.goto(application_url)
    page.click("[data-action=approve]")
    page.wait_for_selector("text=已批准")
    sign_out(page)

    sign_in(page, "applicant", PASSWORD)
    page.goto(application_url)
    assert page.inner_text("[data-testid=granted]") == "¥123,456.78"
    assert page.inner_text("[data-testid=remaining-cap]") == "¥876,543.22"
    shot("approved")
    assert SubsidyApplication.objects.get().status == "approved"
