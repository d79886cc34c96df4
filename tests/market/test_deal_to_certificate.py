"""From deal to money (issue 15, point 7): the draft contract, its wait for the
result publicity, registration, the transaction certificate, and the subsidy."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from contracts import services as contracts
from contracts.models import Contract
from market.models import Auction, Listing
from market.services import auctions, bids, listings, sweep
from portal.core.errors import TransitionNotAllowed
from publicity.models import Publicity
from tests.factories import PaymentFactory, ProgramFactory
from tests.files import PDF, upload
from tests.market import flow

pytestmark = pytest.mark.django_db


def complete_and_register(people, contract, *, buyer: str) -> Contract:
    seller_admin, buyer_admin = people["holder_admin"], people[f"{buyer}_admin"]
    contracts.contract_attach_document(
        contract=contract, by=seller_admin, upload=upload("合同.pdf", PDF)
    )
    contracts.contract_confirm(contract=contract, by=buyer_admin)
    contracts.contract_submit(contract=contract, by=seller_admin)
    return contracts.contract_register(contract=contract, by=people["staff"])


def sold_by_agreement(people, **rules) -> Listing:
    flow.trial_rules(**rules)
    listing = flow.announced_listing(people)
    flow.qualified_intent(people, listing, "a")
    listings.listing_close_notice(listing=listing)
    return listings.listing_confirm(listing=listing, by=people["a_admin"])


def test_the_contract_waits_for_the_result_publicity(people):
    listing = sold_by_agreement(people, result_publicity_workdays=5)
    contract = listing.contract
    contracts.contract_attach_document(
        contract=contract, by=people["holder_admin"], upload=upload("合同.pdf", PDF)
    )
    contracts.contract_confirm(contract=contract, by=people["a_admin"])
    with pytest.raises(TransitionNotAllowed):
        contracts.contract_submit(contract=contract, by=people["holder_admin"])
    Publicity.objects.filter(kind=Publicity.Kind.RESULT).update(period_value=0)
    assert (
        contracts.contract_submit(contract=contract, by=people["holder_admin"]).status
        == "submitted"
    )


def test_a_registered_deal_gets_a_gapless_certificate_and_the_achievement_is_transferred(people):
    listing = sold_by_agreement(people)
    registered = complete_and_register(people, listing.contract, buyer="a")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.SETTLED
    year = registered.registered_at.year
    assert listing.certificate_number == f"JYPZ-{year}-000001"
    people["achievement"].refresh_from_db()
    assert people["achievement"].status == "transferred"
    assert registered.appraisal_exempt
    # A second deal takes the next number.
    other = flow.cast()
    second = sold_by_agreement(other)
    complete_and_register(other, second.contract, buyer="a")
    second.refresh_from_db()
    assert second.certificate_number == f"JYPZ-{year}-000002"


def test_the_certificate_pdf_is_chinese_and_only_for_the_parties(people, client, api):
    listing = sold_by_agreement(people)
    client.force_login(people["a_admin"])
    assert client.get(f"/market/listings/{listing.pk}/certificate.pdf").status_code == 403
    api.force_authenticate(people["a_admin"])
    assert api.get(f"/api/v1/listings/{listing.pk}/certificate/").status_code == 409
    complete_and_register(people, listing.contract, buyer="a")
    response = client.get(f"/market/listings/{listing.pk}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text().replace("\x00", "")
    assert "技术交易凭证" in text and people["achievement"].title in text
    assert "挂牌" in text and "免予资产评估" in text
    client.force_login(people["c_admin"])
    assert client.get(f"/market/listings/{listing.pk}/certificate.pdf").status_code == 403


def test_an_auction_deal_flows_the_same_way_and_the_subsidy_counts_it(people):
    lot = flow.announced_lot(people)
    flow.bidder(people, lot, "a")
    lot = flow.open_bidding(lot)
    bids.bid_place(auction=lot, by=people["a_admin"], amount=Decimal("600000.00"), request_id="1")
    lot = auctions.auction_close(auction=flow.end_bidding(lot))
    lot = auctions.auction_confirm(auction=lot, by=people["a_admin"])
    Publicity.objects.filter(kind=Publicity.Kind.RESULT).update(period_value=0)
    registered = complete_and_register(people, lot.contract, buyer="a")
    lot.refresh_from_db()
    assert lot.certificate_number and registered.pricing_method == "auction"
    PaymentFactory(contract=registered, amount="600000.00", paid_on=registered.signed_on)
    program = ProgramFactory(
        year=registered.signed_on.year,
        payment_from=registered.signed_on.replace(month=1, day=1),
        payment_to=registered.signed_on.replace(month=12, day=31),
    )
    computed = contracts.subsidy_compute(program=program, organization=people["a"])
    assert computed.amount == Decimal("60000.00")  # 10% of what was paid


def test_the_job_issues_a_certificate_the_signal_missed(people):
    listing = sold_by_agreement(people)
    registered = complete_and_register(people, listing.contract, buyer="a")
    Listing.objects.filter(pk=listing.pk).update(certificate_number=None, status="deal_confirmed")
    assert sweep.daily()["certificates"] == 1
    assert sweep.daily()["certificates"] == 0
    listing.refresh_from_db()
    assert listing.certificate_number and registered.status == "registered"
    assert Auction.objects.count() == 0
