"""Listings with public notice (issue 15, point 3; MARKET.md §1.5, §1.7)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from market.models import Deposit, Listing, ListingIntent, MarketRules
from market.services import listings
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry, Notification
from publicity.models import Publicity
from publicity.selectors import publicities_of
from tests.factories import AchievementFactory, OrganizationFactory, member_of
from tests.files import PDF, upload
from tests.market import flow

pytestmark = pytest.mark.django_db


def test_approval_publishes_a_frozen_notice_whose_count_starts_the_next_working_day(people):
    listing = flow.announced_listing(people)
    assert listing.status == Listing.Status.ANNOUNCING
    assert listing.code.startswith(f"GP-{timezone.localdate().year}-")
    assert listing.deposit_amount == Decimal("100000.00")  # 10% of 1,000,000.00, computed
    notice = publicities_of(listing).get()
    assert notice.kind == Publicity.Kind.LISTING_NOTICE and notice.version == 1
    assert notice.content["listing_price"] == "1000000.00"
    assert len(notice.content_sha256) == 64
    assert listing.notice_ends_on == notice.ends_on
    assert listing.notice_starts_on > timezone.localdate()
    assert listing.applied_rules.listing_notice_workdays == 20
    assert Notification.objects.filter(
        user=people["holder_admin"], kind="market.listing.announcing"
    ).exists()


def test_a_change_during_the_notice_is_a_new_version_that_restarts_the_count(people):
    listing = flow.announced_listing(people)
    flow.end_notice(listing)  # as if most of it had run
    revised = listings.listing_revise(
        listing=listing, by=people["holder_admin"], data={"listing_price": Decimal("900000.00")}
    )
    versions = list(publicities_of(revised).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].status == Publicity.Status.SUPERSEDED
    assert versions[1].content["listing_price"] == "900000.00"
    assert versions[0].content_sha256 != versions[1].content_sha256
    assert revised.notice_ends_on > timezone.localdate() + datetime.timedelta(days=20)
    assert revised.deposit_amount == Decimal("90000.00")


def test_registration_deposit_and_qualification(people, api):
    listing = flow.announced_listing(people)
    api.force_authenticate(people["a_admin"])
    response = api.post(
        f"/api/v1/listings/{listing.pk}/intents/", {"note": "有量产线"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "registered" and body["deposit_status"] == "awaiting_payment"
    assert body["deposit_amount"] == "100000.00"
    # Twice, by the same organisation: refused, nothing added.
    again = api.post(f"/api/v1/listings/{listing.pk}/intents/", {}, format="json")
    assert again.status_code == 400
    assert ListingIntent.objects.filter(listing=listing).count() == 1
    # The holder does not register for its own listing.
    api.force_authenticate(people["holder_admin"])
    assert api.post(f"/api/v1/listings/{listing.pk}/intents/", {}, format="json").status_code == 400
    # Staff qualify it and record the deposit.
    intent = ListingIntent.objects.get()
    api.force_authenticate(people["staff"])
    assert api.post(f"/api/v1/listing-intents/{intent.pk}/qualify/").status_code == 200
    received = api.post(f"/api/v1/listing-intents/{intent.pk}/deposit_received/")
    assert received.json()["deposit_status"] == "frozen"
    assert Notification.objects.filter(
        user=people["a_admin"], kind="market.deposit.received"
    ).exists()


def test_an_unverified_organisation_does_not_register(people):
    listing = flow.announced_listing(people)
    stranger = member_of(OrganizationFactory(verified=False))
    with pytest.raises(RuleBroken):
        listings.intent_register(listing=listing, by=stranger)


def test_a_registration_after_the_notice_is_refused(people, api):
    listing = flow.announced_listing(people)
    flow.end_notice(listing)
    api.force_authenticate(people["a_admin"])
    assert api.post(f"/api/v1/listings/{listing.pk}/intents/", {}, format="json").status_code == 409
    assert not ListingIntent.objects.exists()


def test_close_before_the_end_is_409(people, api):
    listing = flow.announced_listing(people)
    api.force_authenticate(people["staff"])
    assert api.post(f"/api/v1/listings/{listing.pk}/close_notice/").status_code == 409
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.ANNOUNCING


def test_nobody_registered_extends_then_ends_unsold(people):
    listing = flow.announced_listing(people)
    rules = listing.applied_rules
    for n in range(1, rules.listing_max_extensions + 1):
        flow.end_notice(listing)
        listing = listings.listing_close_notice(listing=listing)
        assert listing.status == Listing.Status.EXTENDED
        assert listing.extensions_used == n
        assert listing.notice_ends_on > timezone.localdate()
    flow.end_notice(listing)
    listing = listings.listing_close_notice(listing=listing)
    assert listing.status == Listing.Status.UNSOLD


def test_a_qualified_party_without_its_deposit_does_not_count(people):
    listing = flow.announced_listing(people, extension_allowed=False)
    intent = listings.intent_register(listing=listing, by=people["a_admin"])
    listings.intent_qualify(intent=intent, by=people["staff"])
    flow.end_notice(listing)
    assert listings.listing_close_notice(listing=listing).status == Listing.Status.UNSOLD


def test_one_party_confirms_at_the_listing_price_and_a_draft_contract_follows(people):
    listing = flow.announced_listing(people)
    intent = flow.qualified_intent(people, listing, "a")
    loser = listings.intent_register(listing=listing, by=people["b_admin"])  # not qualified
    flow.end_notice(listing)
    listing = listings.listing_close_notice(listing=listing, by=people["staff"])
    assert listing.status == Listing.Status.AGREEMENT_PENDING
    assert listing.transferee == people["a"] and listing.confirm_by > timezone.localdate()
    with pytest.raises(NotPermitted):
        listings.listing_confirm(listing=listing, by=people["b_admin"])
    confirmed = listings.listing_confirm(listing=listing, by=people["a_admin"])
    assert confirmed.status == Listing.Status.DEAL_CONFIRMED
    assert confirmed.deal_price == Decimal("1000000.00")
    contract = confirmed.contract
    assert contract.status == "draft" and contract.buyer == people["a"]
    assert contract.seller == people["holder"] and contract.amount == Decimal("1000000.00")
    assert contract.pricing_method == "listing" and contract.appraisal_exempt
    assert contract.market_deal == listing.code
    intent.deposit.refresh_from_db()
    loser.deposit.refresh_from_db()
    assert intent.deposit.status == Deposit.Status.APPLIED_TO_PRICE
    assert loser.deposit.status == Deposit.Status.AWAITING_PAYMENT  # never paid
    assert publicities_of(confirmed).filter(kind=Publicity.Kind.RESULT).exists()


def test_the_sole_party_declining_forfeits_its_deposit(people):
    listing = flow.announced_listing(people)
    intent = flow.qualified_intent(people, listing, "a")
    flow.end_notice(listing)
    listings.listing_close_notice(listing=listing)
    declined = listings.listing_decline(listing=listing, by=people["a_admin"], reason="预算调整")
    assert declined.status == Listing.Status.UNSOLD
    intent.deposit.refresh_from_db()
    assert intent.deposit.status == Deposit.Status.FORFEITED
    assert intent.deposit.forfeit_reason == "预算调整"


def test_two_parties_go_to_an_auction_among_them_with_their_deposits(people):
    listing = flow.announced_listing(people)
    a = flow.qualified_intent(people, listing, "a")
    b = flow.qualified_intent(people, listing, "b")
    flow.end_notice(listing)
    listing = listings.listing_close_notice(listing=listing)
    assert listing.status == Listing.Status.BIDDING
    lot = listing.auction
    assert lot.starting_price == listing.listing_price and lot.increment == Decimal("10000.00")
    assert {r.deposit_id for r in lot.registrations.all()} == {a.deposit_id, b.deposit_id}
    assert all(r.status == "qualified" for r in lot.registrations.all())
    assert lot.starts_at >= timezone.now() + datetime.timedelta(days=6, hours=23)


def test_closing_twice_changes_nothing_the_second_time(people):
    listing = flow.announced_listing(people)
    flow.qualified_intent(people, listing, "a")
    flow.end_notice(listing)
    listings.listing_close_notice(listing=listing)
    audits = AuditEntry.objects.count()
    with pytest.raises(TransitionNotAllowed):
        listings.listing_close_notice(listing=listing)
    assert AuditEntry.objects.count() == audits


def test_the_holder_withdraws_until_a_party_is_qualified_then_staff_decide(people):
    listing = flow.announced_listing(people)
    flow.qualified_intent(people, listing, "a")
    with pytest.raises(NotPermitted):
        listings.listing_withdraw(listing=listing, by=people["holder_admin"])
    withdrawn = listings.listing_withdraw(listing=listing, by=people["staff"], reason="权属争议")
    assert withdrawn.status == Listing.Status.WITHDRAWN
    deposit = Deposit.objects.get(listing=listing)
    assert deposit.status == Deposit.Status.REFUND_PENDING and deposit.refund_due_on


def test_suspension_stops_the_count_and_resumption_keeps_at_least_ten_days(people):
    listing = flow.announced_listing(people)
    suspended = listings.listing_suspend(listing=listing, by=people["staff"], reason="权属核查")
    assert suspended.status == Listing.Status.SUSPENDED
    assert publicities_of(listing).get().status == Publicity.Status.SUSPENDED
    resumed = listings.listing_resume(listing=listing, by=people["staff"])
    assert resumed.status == Listing.Status.ANNOUNCING
    assert resumed.notice_ends_on >= timezone.localdate() + datetime.timedelta(days=14)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"listing_price": "0"}, "listing_price"),
        ({"listing_price": "1000.001"}, "listing_price"),
        ({"listing_price": "1e9"}, "listing_price"),
        ({"listing_price": "NaN"}, "listing_price"),
        ({"deposit_rate": "0.50"}, "deposit_rate"),
        ({"deposit_rate": "0.01"}, "deposit_rate"),
        ({"deposit_mode": "fixed", "fixed_deposit": "2000000.00"}, "fixed_deposit"),
        ({"related_party": True, "related_party_disclosure": ""}, "related_party_disclosure"),
        ({"auction_increment": "0"}, "auction_increment"),
    ],
)
def test_bad_listings_are_refused_with_field_messages(people, api, change, field):
    api.force_authenticate(people["holder_admin"])
    body = {
        "achievement": people["achievement"].pk,
        "trade_mode": "transfer",
        "listing_price": "1000000.00",
        "deposit_mode": "percent",
        "deposit_rate": "0.10",
        **change,
    }
    response = api.post("/api/v1/listings/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Listing.objects.exists()


def test_a_job_related_listing_needs_its_decision_document(people):
    listing = listings.listing_create(by=people["holder_admin"], data=flow.listing_data(people))
    with pytest.raises(RuleBroken) as refused:
        listings.listing_submit(listing=listing, by=people["holder_admin"])
    assert "decision_document" in refused.value.message_dict


def test_a_broker_drafts_but_only_the_holder_submits(people):
    from tests.factories import BrokerFactory

    broker = BrokerFactory()
    listing = listings.listing_create(by=broker, data=flow.listing_data(people))
    assert listing.broker == broker
    with pytest.raises(NotPermitted):
        listings.listing_submit(listing=listing, by=broker)


def test_one_live_listing_per_achievement(people):
    flow.announced_listing(people)
    with pytest.raises(RuleBroken):
        listings.listing_create(by=people["holder_admin"], data=flow.listing_data(people))


def test_relisting_below_ninety_percent_needs_a_new_decision(people):
    first = flow.announced_listing(people, is_job_related=False, extension_allowed=False)
    flow.end_notice(first)
    first = listings.listing_close_notice(listing=first)
    assert first.status == Listing.Status.UNSOLD
    data = flow.listing_data(
        people, is_job_related=False, previous_listing=first, listing_price=Decimal("850000.00")
    )
    cheaper = listings.listing_create(by=people["holder_admin"], data=data)
    with pytest.raises(RuleBroken) as refused:
        listings.listing_submit(listing=cheaper, by=people["holder_admin"])
    assert "listing_price" in refused.value.message_dict
    listings.listing_attach_decision(
        listing=cheaper, by=people["holder_admin"], upload=upload("新决定.pdf", PDF)
    )
    assert listings.listing_submit(listing=cheaper, by=people["holder_admin"]).status == "submitted"
    # At 90% or more, no new decision is asked.
    other = flow.cast()
    first = flow.announced_listing(other, is_job_related=False, extension_allowed=False)
    flow.end_notice(first)
    listings.listing_close_notice(listing=first)
    data = flow.listing_data(
        other, is_job_related=False, previous_listing=first, listing_price=Decimal("900000.00")
    )
    again = listings.listing_create(by=other["holder_admin"], data=data)
    assert listings.listing_submit(listing=again, by=other["holder_admin"]).status == "submitted"


def test_only_staff_of_the_holders_market_review(people):
    from tests.factories import StaffFactory

    listing = flow.submitted_listing(people)
    elsewhere = StaffFactory(staff_market=flow.market("xiangyang"))
    with pytest.raises(NotPermitted):
        listings.listing_approve(listing=listing, by=elsewhere)
    returned = listings.listing_send_back(
        listing=listing, by=people["staff"], reason="补充专利证书"
    )
    assert returned.status == Listing.Status.RETURNED
    assert (
        listings.listing_submit(listing=returned, by=people["holder_admin"]).status == "submitted"
    )


def test_a_draft_is_seen_by_its_holder_and_staff_only(people, api):
    listing = listings.listing_create(by=people["holder_admin"], data=flow.listing_data(people))
    assert api.get(f"/api/v1/listings/{listing.pk}/").status_code == 404
    api.force_authenticate(people["a_admin"])
    assert api.get(f"/api/v1/listings/{listing.pk}/").status_code == 404
    assert listing.pk not in [r["id"] for r in api.get("/api/v1/listings/").json()["results"]]
    api.force_authenticate(people["holder_admin"])
    assert api.get(f"/api/v1/listings/{listing.pk}/").status_code == 200


def test_the_daily_job_closes_due_notices_and_running_it_twice_changes_nothing(people):
    from market.services import sweep

    listing = flow.announced_listing(people)
    flow.qualified_intent(people, listing, "a")
    flow.end_notice(listing)
    first = sweep.daily()
    assert first["notices"] == 1
    audits = AuditEntry.objects.count()
    assert sweep.daily()["notices"] == 0
    assert AuditEntry.objects.count() == audits
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.AGREEMENT_PENDING


def test_a_lapsed_agreement_is_declined_by_the_job(people):
    from market.services import sweep

    listing = flow.announced_listing(people)
    intent = flow.qualified_intent(people, listing, "a")
    flow.end_notice(listing)
    listings.listing_close_notice(listing=listing)
    Listing.objects.filter(pk=listing.pk).update(
        confirm_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert sweep.daily()["agreements"] == 1
    intent.deposit.refresh_from_db()
    assert intent.deposit.status == Deposit.Status.FORFEITED


def test_listing_needs_a_published_achievement(people):
    draft = AchievementFactory(organization=people["holder"], status="draft")
    with pytest.raises(NotPermitted):
        listings.listing_create(
            by=people["holder_admin"], data=flow.listing_data(people, achievement=draft)
        )
    assert MarketRules.current().listing_notice_workdays == 20
