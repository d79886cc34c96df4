"""Publicity and objections (issue 15, point 6; MARKET.md §9)."""

import datetime

import pytest
from django.utils import timezone

from market.models import Deposit, Listing
from market.services import listings
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import Notification
from publicity import services
from publicity.models import Objection, Publicity
from publicity.selectors import publicities_of
from tests.factories import UserFactory
from tests.market import flow

pytestmark = pytest.mark.django_db


def notice_of(listing, kind=Publicity.Kind.LISTING_NOTICE):
    return publicities_of(listing).filter(kind=kind).order_by("-version").first()


def test_a_real_name_objection_inside_the_period_reaches_the_holder(people, api):
    listing = flow.announced_listing(people)
    notice = notice_of(listing)
    api.force_authenticate(people["c_admin"])
    response = api.post(
        f"/api/v1/publicities/{notice.pk}/objections/",
        {"facts": "该专利权属存在争议。", "contact": "027-88888888", "real_name": "王五"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Objection.objects.get().real_name == "王五"
    assert Notification.objects.filter(
        user=people["holder_admin"], kind="publicity.objection.received"
    ).exists()
    listed = api.get(f"/api/v1/publicities/?subject=listing:{listing.pk}").json()["results"]
    assert [p["kind"] for p in listed] == ["listing_notice"]
    assert listed[0]["objections"] == 1


def test_objections_without_a_name_or_outside_the_period_are_refused(people, api):
    listing = flow.announced_listing(people)
    notice = notice_of(listing)
    nameless = UserFactory(organization=people["c"])
    with pytest.raises(RuleBroken):
        services.objection_submit(publicity=notice, by=nameless, facts="有争议", contact="电话")
    Publicity.objects.filter(pk=notice.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    api.force_authenticate(people["c_admin"])
    late = api.post(
        f"/api/v1/publicities/{notice.pk}/objections/",
        {"facts": "有争议", "contact": "电话", "real_name": "王五"},
        format="json",
    )
    assert late.status_code == 409
    api.force_authenticate(None)
    anonymous = api.post(
        f"/api/v1/publicities/{notice.pk}/objections/",
        {"facts": "有争议", "contact": "电话", "real_name": "王五"},
        format="json",
    )
    assert anonymous.status_code in (401, 403)
    assert not Objection.objects.exists()


def test_a_pending_objection_holds_the_close_until_staff_decide(people):
    listing = flow.announced_listing(people)
    flow.qualified_intent(people, listing, "a")
    objection = services.objection_submit(
        publicity=notice_of(listing),
        by=people["c_admin"],
        facts="权属争议",
        contact="电话",
        real_name="王五",
    )
    flow.end_notice(listing)
    with pytest.raises(TransitionNotAllowed):
        listings.listing_close_notice(listing=listing)
    with pytest.raises(NotPermitted):
        services.objection_decide(
            objection=objection, by=people["holder_admin"], upheld=False, reply="无"
        )
    services.objection_decide(
        objection=objection, by=people["staff"], upheld=False, reply="经核查权属清晰"
    )
    closed = listings.listing_close_notice(listing=listing)
    assert closed.status == Listing.Status.AGREEMENT_PENDING
    assert Notification.objects.filter(
        user=people["c_admin"], kind="publicity.objection.dismissed"
    ).exists()


def test_an_upheld_objection_to_the_result_ends_the_deal_and_its_contract(people):
    flow.trial_rules(result_publicity_workdays=5)
    listing = flow.announced_listing(people)
    intent = flow.qualified_intent(people, listing, "a")
    listings.listing_close_notice(listing=listing)
    listing = listings.listing_confirm(listing=listing, by=people["a_admin"])
    result = notice_of(listing, Publicity.Kind.RESULT)
    assert result.content["price"] == "1000000.00" and result.content["buyer"] == people["a"].name
    objection = services.objection_submit(
        publicity=result, by=people["c_admin"], facts="串通报价", contact="电话", real_name="王五"
    )
    services.objection_decide(
        objection=objection, by=people["staff"], upheld=True, reply="异议成立"
    )
    listing.refresh_from_db()
    assert listing.status == Listing.Status.TERMINATED
    intent.deposit.refresh_from_db()
    assert intent.deposit.status == Deposit.Status.REFUND_PENDING
    from contracts.services import contract_submit

    with pytest.raises(TransitionNotAllowed):
        contract_submit(contract=listing.contract, by=people["a_admin"])
