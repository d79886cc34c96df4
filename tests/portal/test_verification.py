"""Certificates anyone can check (issue 16, point 4): /verify/ and
GET /api/v1/certificates/{number}/, and the QR code on the PDFs."""

import io

import pytest
from pypdf import PdfReader

from contracts.certificate import certificate_pdf
from tests.factories import ContractFactory
from tests.market import flow
from tests.market.test_deal_to_certificate import complete_and_register, sold_by_agreement

pytestmark = pytest.mark.django_db

FIELDS = {
    "number",
    "kind",
    "contract_type",
    "buyer",
    "seller",
    "amount",
    "tech_transaction_amount",
    "registered_on",
    "office",
}


def test_a_registration_certificate_is_confirmed_without_sign_in(api):
    contract = ContractFactory(amount="1200000.00", tech_transaction_amount="1000000.00")
    body = api.get(f"/api/v1/certificates/{contract.registration_number}/").json()
    assert FIELDS <= set(body)
    assert body["kind"] == "registration" and body["number"] == contract.registration_number
    assert (body["buyer"], body["seller"]) == (contract.buyer.name, contract.seller.name)
    assert (body["amount"], body["tech_transaction_amount"]) == ("1200000.00", "1000000.00")
    assert body["office"] == contract.market.name
    # Nothing confidential: no contract text, no people, no payments.
    assert not {"title", "document", "payments", "created_by", "broker"} & set(body)


def test_a_contract_not_registered_is_not_found(api):
    contract = ContractFactory(status="submitted")  # it carries a number but is not registered
    response = api.get(f"/api/v1/certificates/{contract.registration_number}/")
    assert response.status_code == 404


@pytest.mark.parametrize("number", ["12345", "abc", "4201002025%00", "JYPZ-25-1"])
def test_a_malformed_number_is_a_400_that_says_the_format(api, number):
    response = api.get(f"/api/v1/certificates/{number}/")
    assert response.status_code == 400
    assert "16" in response.json()["number"][0]


def test_an_unknown_number_is_a_404(api):
    assert api.get("/api/v1/certificates/4201002025999999/").status_code == 404


def test_the_page_confirms_and_says_not_found(client):
    contract = ContractFactory()
    spaced = " ".join(contract.registration_number[i : i + 4] for i in range(0, 16, 4))
    found = client.get("/verify/", {"number": spaced}).content.decode()
    assert f'data-verified="{contract.registration_number}"' in found
    assert contract.buyer.name in found
    missing = client.get("/verify/", {"number": "4201002025999999"}).content.decode()
    assert "data-missing" in missing and "data-verified" not in missing
    bad = client.get("/verify/", {"number": "12"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()


def test_lookups_are_rate_limited_per_address(client, api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": {"address": (3, 60)}}
    codes = [api.get(f"/api/v1/certificates/42010020259999{n:02d}/").status_code for n in range(4)]
    assert codes == [404, 404, 404, 429]
    assert client.get("/verify/", {"number": "4201002025999999"}).status_code == 429


def test_a_transaction_certificate_is_confirmed(db, api):
    flow.enter_calendar()
    people = flow.cast()
    listing = sold_by_agreement(people)
    registered = complete_and_register(people, listing.contract, buyer="a")
    listing.refresh_from_db()
    body = api.get(f"/api/v1/certificates/{listing.certificate_number}/").json()
    assert body["kind"] == "transaction"
    assert body["registration_number"] == registered.registration_number
    assert body["buyer"] == people["a"].name


def test_the_pdf_carries_the_verification_address(settings):
    settings.SITE_URL = "https://jszx.example.cn"
    contract = ContractFactory()
    reader = PdfReader(io.BytesIO(certificate_pdf(contract)))
    text = reader.pages[0].extract_text().replace("\x00", "")
    assert "https://jszx.example.cn/verify/" in text
    assert reader.pages[0].images, "the QR code is an image on the page"
