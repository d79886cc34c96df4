import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Market
from contracts import services
from contracts.models import Contract, Payment, SubsidyApplication
from tests.factories import (
    BrokerFactory,
    ContractFactory,
    OrganizationFactory,
    PaymentFactory,
    ProgramFactory,
    StaffFactory,
    member_of,
)
from tests.files import PDF, upload

pytestmark = pytest.mark.django_db


def test_a_broker_drafts_uploads_and_submits_from_the_pages(client):
    buyer = OrganizationFactory(kind="enterprise", name="买方企业")
    seller = OrganizationFactory(kind="university", name="卖方大学")
    broker = BrokerFactory()
    client.force_login(broker)
    response = client.post(
        "/contracts/new/",
        {
            "title": "散热膜技术转让",
            "contract_type": "transfer",
            "buyer": buyer.pk,
            "seller": seller.pk,
            "signed_on": "2025-03-01",
            "valid_from": "2025-03-01",
            "valid_to": "2026-03-01",
            "amount": "1000000",
            "tech_transaction_amount": "900000",
            "payment_method": "lump_sum",
            "tech_field": "materials",
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    client.post(f"/contracts/{contract.pk}/submit/")
    contract.refresh_from_db()
    assert contract.status == "draft"  # no document yet: refused with a message
    client.post(f"/contracts/{contract.pk}/document/", {"file": upload("合同.pdf", PDF)})
    refused = client.post(f"/contracts/{contract.pk}/submit/", follow=True)
    assert "等待确认" in refused.content.decode()  # nobody agreed to it yet
    for org in (buyer, seller):
        administrator = member_of(org)
        client.force_login(administrator)
        page = client.get(f"/contracts/{contract.pk}/").content.decode()
        assert 'data-action="confirm"' in page
        client.post(f"/contracts/{contract.pk}/confirm/")
    client.force_login(broker)
    response = client.post(f"/contracts/{contract.pk}/submit/", follow=True)
    contract.refresh_from_db()
    assert contract.status == "submitted"
    assert "已提交登记" in response.content.decode()


def test_a_bad_contract_form_is_redisplayed(client):
    org = OrganizationFactory(kind="enterprise")
    client.force_login(member_of(org))
    response = client.post(
        "/contracts/new/",
        {
            "title": "x",
            "contract_type": "transfer",
            "buyer": org.pk,
            "seller": org.pk,
            "signed_on": "2025-03-01",
            "valid_from": "2025-03-01",
            "valid_to": "2026-03-01",
            "amount": "100",
            "tech_transaction_amount": "200",
            "payment_method": "lump_sum",
            "tech_field": "materials",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "买方和卖方必须是不同的机构" in html and "技术交易额不能超过合同成交额" in html
    assert not Contract.objects.exists()


def test_staff_register_and_print_the_certificate(client):
    contract = ContractFactory(status="submitted", registration_number=None)
    client.force_login(StaffFactory())
    client.post(f"/contracts/{contract.pk}/register/")
    contract.refresh_from_db()
    assert contract.status == "registered"
    response = client.get(f"/contracts/{contract.pk}/certificate.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text().replace("\x00", "")
    assert contract.registration_number in text
    assert "技术合同登记证明" in text and contract.buyer.name in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptor = (
        next(iter(fonts.values()))
        .get_object()["/DescendantFonts"][0]
        .get_object()["/FontDescriptor"]
    )
    assert any(k in descriptor for k in ("/FontFile2", "/FontFile3"))  # the font is embedded


def test_payments_from_the_page_and_verification(client):
    contract = ContractFactory()
    buyer = member_of(contract.buyer)
    client.force_login(buyer)
    client.post(
        f"/contracts/{contract.pk}/payments/",
        {"amount": "1000.50", "paid_on": "2025-06-01", "evidence": upload("回单.pdf", PDF)},
    )
    payment = Payment.objects.get()
    response = client.post(
        f"/contracts/{contract.pk}/payments/",
        {"amount": "99999999", "paid_on": "2025-06-01", "evidence": upload("回单.pdf", PDF)},
        follow=True,
    )
    assert "剩余" in response.content.decode()
    client.force_login(StaffFactory(staff_market=contract.market))
    client.post(f"/contracts/payments/{payment.pk}/verify/")
    payment.refresh_from_db()
    assert payment.status == "verified"
    assert client.get(f"/contracts/payments/{payment.pk}/evidence/").status_code == 200
    client.force_login(member_of(OrganizationFactory()))
    assert client.get(f"/contracts/payments/{payment.pk}/evidence/").status_code == 404


def test_an_enterprise_sees_the_computed_subsidy_before_submitting(client):
    buyer = OrganizationFactory(kind="enterprise", region_code="420602")
    program = ProgramFactory()
    PaymentFactory(contract=ContractFactory(buyer=buyer), amount="250000.00")
    PaymentFactory(contract=ContractFactory(buyer=buyer, related_party=True))
    member = member_of(buyer)
    client.force_login(member)
    html = client.get(f"/contracts/programs/{program.pk}/").content.decode()
    assert "¥25,000.00" in html and "关联交易" in html
    client.post(f"/contracts/programs/{program.pk}/apply/")
    application = SubsidyApplication.objects.get()
    html = client.get(f"/contracts/subsidies/{application.pk}/").content.decode()
    assert 'data-testid="computed-amount">¥25,000.00' in html
    client.post(f"/contracts/subsidies/{application.pk}/submit/")
    city = StaffFactory(staff_market=Market.objects.get(code="xiangyang"))
    client.force_login(city)
    assert f"#{application.pk}" in client.get("/review/").content.decode()
    client.post(f"/contracts/subsidies/{application.pk}/city_review/")
    client.force_login(StaffFactory())
    client.post(f"/contracts/subsidies/{application.pk}/approve/")
    application.refresh_from_db()
    assert application.status == "approved"
    client.force_login(member)
    html = client.get(f"/contracts/subsidies/{application.pk}/").content.decode()
    assert 'data-testid="remaining-cap">¥975,000.00' in html


def test_the_finance_export(client):
    program = ProgramFactory()
    buyer = OrganizationFactory(kind="enterprise", name="导出企业")
    member = member_of(buyer)
    PaymentFactory(contract=ContractFactory(buyer=buyer), amount="100000.00")
    application = services.subsidy_apply(by=member, program=program)
    services.subsidy_submit(application=application, by=member)
    services.subsidy_city_review(application=application, by=StaffFactory())
    services.subsidy_approve(application=application, by=StaffFactory())
    client.force_login(StaffFactory())
    response = client.get(f"/contracts/programs/{program.pk}/export.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][1] == "企业名称"
    assert rows[1][1] == "导出企业" and rows[1][2] == buyer.credit_code
    assert rows[1][6] == 10000 and rows[1][7] == "已批准"
    client.force_login(member)
    assert client.get(f"/contracts/programs/{program.pk}/export.xlsx").status_code == 403
