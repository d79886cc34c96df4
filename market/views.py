"""The market's pages: the hall, listings, lots (live), the workspaces, the
rules and the calendar. Thin: every write goes through market.services."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.permissions import acts_for, is_broker, is_staff
from achievements.models import Achievement
from market import permissions, selectors
from market.certificate import certificate_pdf
from market.forms import AuctionForm, BidForm, CalendarForm, ListingForm, ReceiptForm, RulesForm
from market.models import Bid, MarketRules
from market.services import auctions, bids, deposits, listings, rules, sweep
from portal.core import ratelimit
from portal.core.actions import REFUSALS, Action, attempt, calling, dispatch, show_on_form
from portal.core.errors import NotPermitted
from portal.core.files import download
from portal.core.models import CalendarDay
from portal.core.money import amount
from portal.core.pdf import FontMissing
from publicity.permissions import can_decide
from publicity.selectors import objections_visible_to, publicities_of


def hall(request):
    return render(request, "market/hall.html", selectors.hall())


def _achievements_to_list(user, selected=None):
    qs = Achievement.objects.filter(status=Achievement.Status.PUBLISHED).select_related(
        "organization"
    )
    if user.organization_id and acts_for(user, user.organization_id):
        qs = qs.filter(organization_id=user.organization_id)
    elif not is_broker(user):
        return qs.none()
    if selected:
        qs = qs.filter(pk=selected) | qs
    return qs.order_by("title")


def _notices(request, subject) -> list:
    return [
        {
            "notice": notice,
            "objections": objections_visible_to(request.user, notice),
            "decides": can_decide(request.user, notice),
        }
        for notice in publicities_of(subject)
    ]


# --- listings -------------------------------------------------------------------------


def listing_detail(request, pk):
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    user = request.user
    context = {
        "listing": listing,
        "notices": _notices(request, listing),
        "may": {
            "edit": permissions.may_edit_listing(user, listing),
            "submit": permissions.may_submit_listing(user, listing),
            "review": permissions.may_review_listing(user, listing),
            "withdraw": permissions.may_withdraw_listing(user, listing),
            "revise": permissions.may_revise_listing(user, listing),
            "suspend": permissions.may_suspend_listing(user, listing),
            "resume": permissions.may_resume_listing(user, listing),
            "close_notice": permissions.may_close_notice(user, listing),
            "register": permissions.may_register_intent(user, listing),
            "confirm": permissions.may_confirm_agreement(user, listing),
            "certificate": permissions.may_download_certificate(user, listing),
            "handle": permissions.handles_deposits(user, listing),
            "document": permissions.sees_listing_parties(user, listing),
        },
        "intents": selectors.intents_visible_to(user).filter(listing=listing),
        "lot": getattr(listing, "auction", None),
        "receipt_form": ReceiptForm(),
    }
    if context["may"]["handle"]:
        context["ledger"] = selectors.ledger(listing)
    return render(request, "market/listing.html", context)


@login_required
def listing_edit(request, pk=None):
    listing = None
    if pk is not None:
        listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
        if not (
            permissions.may_edit_listing(request.user, listing)
            or permissions.may_revise_listing(request.user, listing)
        ):
            raise PermissionDenied
    achievements = (
        None if listing else _achievements_to_list(request.user, request.GET.get("achievement"))
    )
    if listing is None and not achievements.exists():
        messages.error(request, _("You have no published achievement to list."))
        return redirect("market:hall")
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        instance=listing,
        achievements=achievements,
        initial={"achievement": request.GET.get("achievement")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = form.data_for_service()
                if listing is None:
                    listing = listings.listing_create(by=request.user, data=data)
                elif listing.in_notice:
                    listing = listings.listing_revise(listing=listing, by=request.user, data=data)
                else:
                    listing = listings.listing_update(listing=listing, by=request.user, data=data)
                upload = form.cleaned_data.get("decision_document")
                if upload:
                    listings.listing_attach_decision(
                        listing=listing, by=request.user, upload=upload
                    )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except REFUSALS as exc:
            show_on_form(form, exc, {"file": "decision_document"})
        else:
            messages.success(request, _("Saved."))
            return redirect(listing)
    return render(request, "market/listing_form.html", {"form": form, "listing": listing})


LISTING_ACTIONS = {
    "submit": calling(listings.listing_submit, "listing", gettext_lazy("Submitted for review.")),
    "approve": calling(
        listings.listing_approve, "listing", gettext_lazy("Approved: the notice is published.")
    ),
    "send_back": calling(
        listings.listing_send_back, "listing", gettext_lazy("Returned for changes."), reason=True
    ),
    "reject": calling(
        listings.listing_reject, "listing", gettext_lazy("Not accepted."), reason=True
    ),
    "withdraw": calling(
        listings.listing_withdraw, "listing", gettext_lazy("Withdrawn."), reason=True
    ),
    "suspend": calling(
        listings.listing_suspend, "listing", gettext_lazy("Suspended."), reason=True
    ),
    "resume": calling(listings.listing_resume, "listing", gettext_lazy("The notice runs again.")),
    "close_notice": calling(
        listings.listing_close_notice, "listing", gettext_lazy("The notice is closed.")
    ),
    "confirm": calling(
        listings.listing_confirm,
        "listing",
        gettext_lazy("Deal confirmed: the draft contract is ready."),
    ),
    "decline": calling(listings.listing_decline, "listing", gettext_lazy("Declined."), reason=True),
    "register": Action(
        lambda listing, user, data: listings.intent_register(
            listing=listing, by=user, note=data.get("note", "")
        ),
        gettext_lazy("Registered: pay the deposit to the market's account."),
    ),
}


@login_required
@require_POST
def listing_action(request, pk, action):
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    return dispatch(request, listing, action, LISTING_ACTIONS, default=listing.get_absolute_url())


def _received_on(data):
    form = ReceiptForm(data)
    return form.cleaned_data.get("received_on") if form.is_valid() else None


INTENT_ACTIONS = {
    "qualify": Action(
        lambda intent, user, data: listings.intent_qualify(intent=intent, by=user),
        gettext_lazy("Qualified."),
    ),
    "disqualify": Action(
        lambda intent, user, data: listings.intent_qualify(
            intent=intent, by=user, qualified=False, reason=data.get("reason", "")
        ),
        gettext_lazy("Not qualified."),
    ),
    "deposit_received": Action(
        lambda intent, user, data: deposits.deposit_receive(
            deposit=intent.deposit, by=user, received_on=_received_on(data)
        ),
        gettext_lazy("Deposit recorded."),
    ),
}


@login_required
@require_POST
def intent_action(request, pk, action):
    intent = get_object_or_404(selectors.intents_visible_to(request.user), pk=pk)
    return dispatch(
        request, intent, action, INTENT_ACTIONS, default=intent.listing.get_absolute_url()
    )


@login_required
def listing_decision(request, pk):
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    if not listing.decision_document or not permissions.sees_listing_parties(request.user, listing):
        raise PermissionDenied
    return download(
        listing.decision_document,
        listing.decision_document_name or "decision.pdf",
        "application/pdf",
    )


def _certificate(request, subject, back):
    if not permissions.may_download_certificate(request.user, subject):
        raise PermissionDenied
    try:
        pdf = certificate_pdf(subject)
    except FontMissing:
        messages.error(request, _("The server has no Chinese font to print the certificate."))
        return redirect(back)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{subject.certificate_number}.pdf"'
    return response


@login_required
def listing_certificate(request, pk):
    listing = get_object_or_404(selectors.listings_visible_to(request.user), pk=pk)
    return _certificate(request, listing, listing)


# --- auctions -------------------------------------------------------------------------


def auction_detail(request, pk):
    lot = get_object_or_404(selectors.auctions_visible_to(request.user), pk=pk)
    lot = sweep.close_if_due(lot)
    user = request.user
    registration = permissions.registration_of(user, lot)
    context = {
        "lot": lot,
        "phase": lot.phase(),
        "registration": registration,
        "bids": selectors.accepted_bids(lot)[:50],
        "notices": _notices(request, lot),
        "server_time": timezone.now(),
        "bid_form": BidForm(initial={"request_id": uuid.uuid4().hex}),
        "may": {
            "edit": permissions.may_edit_lot(user, lot),
            "submit": permissions.may_submit_lot(user, lot),
            "review": permissions.may_review_lot(user, lot),
            "cancel": permissions.may_cancel_lot(user, lot),
            "close": permissions.may_close_lot(user, lot),
            "register": permissions.may_register_for_lot(user, lot),
            "bid": registration is not None and lot.phase() in ("bidding", "extended"),
            "confirm": permissions.may_confirm_win(user, lot),
            "handle": permissions.handles_deposits(user, lot),
            "bidders": permissions.sees_bidders(user, lot),
            "reserve": permissions.sees_reserve(user, lot),
            "certificate": permissions.may_download_certificate(
                user, lot.listing if lot.listing_id else lot
            ),
        },
        "registrations": selectors.registrations_visible_to(user).filter(auction=lot),
        "receipt_form": ReceiptForm(),
    }
    if context["may"]["handle"]:
        context["ledger"] = selectors.ledger(lot)
    return render(request, "market/auction.html", context)


@login_required
def auction_edit(request, pk=None):
    lot = None
    if pk is not None:
        lot = get_object_or_404(selectors.auctions_visible_to(request.user), pk=pk)
        if not permissions.may_edit_lot(request.user, lot):
            raise PermissionDenied
    achievements = (
        None if lot else _achievements_to_list(request.user, request.GET.get("achievement"))
    )
    if lot is None and not achievements.exists():
        messages.error(request, _("You have no published achievement to auction."))
        return redirect("market:hall")
    form = AuctionForm(
        request.POST or None,
        instance=lot,
        achievements=achievements,
        initial={"achievement": request.GET.get("achievement")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            if lot is None:
                lot = auctions.auction_create(by=request.user, data=data)
            else:
                lot = auctions.auction_update(auction=lot, by=request.user, data=data)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(lot)
    return render(request, "market/auction_form.html", {"form": form, "lot": lot})


AUCTION_ACTIONS = {
    "submit": calling(auctions.auction_submit, "auction", gettext_lazy("Submitted for review.")),
    "approve": calling(auctions.auction_approve, "auction", gettext_lazy("Announced.")),
    "reject": calling(auctions.auction_reject, "auction", gettext_lazy("Returned."), reason=True),
    "cancel": calling(auctions.auction_cancel, "auction", gettext_lazy("Cancelled."), reason=True),
    "close": calling(auctions.auction_close, "auction", gettext_lazy("Closed.")),
    "confirm": calling(
        auctions.auction_confirm, "auction", gettext_lazy("Confirmed: the draft contract is ready.")
    ),
    "default": calling(auctions.auction_default, "auction", gettext_lazy("Declined."), reason=True),
    "register": Action(
        lambda lot, user, data: auctions.registration_create(auction=lot, by=user),
        lambda registration: (
            _("Registered as bidder %(code)s: pay the deposit to the market's account.")
            % {"code": registration.bidder_code}
        ),
    ),
}


@login_required
@require_POST
def auction_action(request, pk, action):
    lot = get_object_or_404(selectors.auctions_visible_to(request.user), pk=pk)
    return dispatch(request, lot, action, AUCTION_ACTIONS, default=lot.get_absolute_url())


@login_required
@require_POST
def auction_bid(request, pk):
    lot = get_object_or_404(selectors.auctions_visible_to(request.user), pk=pk)
    ratelimit.check(request, "bid")
    form = BidForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(lot)
    done, result = attempt(
        request,
        lambda: bids.bid_place(
            auction=lot,
            by=request.user,
            amount=form.cleaned_data["amount"],
            request_id=form.cleaned_data["request_id"],
        ),
    )
    if done:
        bid, _created = result
        if bid.accepted:
            text = _("Bid %(n)d accepted: %(amount)s yuan.") % {
                "n": bid.sequence,
                "amount": amount(bid.amount),
            }
            if bid.extended:
                text += " " + _("Bidding is extended to %(at)s.") % {
                    "at": timezone.localtime(bid.ends_at).strftime("%H:%M:%S")
                }
            messages.success(request, text)
        else:
            messages.error(request, Bid.Refusal(bid.refusal).label)
    return redirect(lot)


REGISTRATION_ACTIONS = {
    "qualify": Action(
        lambda r, user, data: auctions.registration_qualify(registration=r, by=user),
        gettext_lazy("Qualified."),
    ),
    "disqualify": Action(
        lambda r, user, data: auctions.registration_qualify(
            registration=r, by=user, qualified=False, reason=data.get("reason", "")
        ),
        gettext_lazy("Not qualified."),
    ),
    "deposit_received": Action(
        lambda r, user, data: deposits.deposit_receive(
            deposit=r.deposit, by=user, received_on=_received_on(data)
        ),
        gettext_lazy("Deposit recorded."),
    ),
}


@login_required
@require_POST
def registration_action(request, pk, action):
    registration = get_object_or_404(selectors.registrations_visible_to(request.user), pk=pk)
    return dispatch(
        request,
        registration,
        action,
        REGISTRATION_ACTIONS,
        default=registration.auction.get_absolute_url(),
    )


@login_required
def auction_certificate(request, pk):
    lot = get_object_or_404(selectors.auctions_visible_to(request.user), pk=pk)
    return _certificate(request, lot.listing if lot.listing_id else lot, lot)


# --- workspaces -----------------------------------------------------------------------


@login_required
def mine(request):
    user = request.user
    org = user.organization_id
    if not org:
        raise PermissionDenied
    return render(
        request,
        "market/mine.html",
        {
            "listings": selectors.listings_visible_to(user).filter(holder_id=org),
            "lots": selectors.auctions_visible_to(user).filter(seller_id=org, listing__isnull=True),
            "intents": selectors.intents_visible_to(user).filter(organization_id=org),
            "registrations": selectors.registrations_visible_to(user).filter(organization_id=org),
            "can_list": _achievements_to_list(user).exists(),
        },
    )


@login_required
def staff(request):
    if not is_staff(request.user):
        raise PermissionDenied
    return render(request, "market/staff.html", selectors.to_review(request.user))


@login_required
def refunds(request):
    if not is_staff(request.user):
        raise PermissionDenied
    return render(
        request,
        "market/refunds.html",
        {"deposits": selectors.refunds_due(request.user), "today": timezone.localdate()},
    )


@login_required
@require_POST
def deposit_refunded(request, pk):
    deposit = get_object_or_404(selectors.deposits_visible_to(request.user), pk=pk)
    attempt(
        request,
        lambda: deposits.deposit_refunded(deposit=deposit, by=request.user),
        success=_("Refund recorded."),
    )
    return redirect("market:refunds")


@login_required
def rules_page(request):
    if not permissions.may_edit_rules(request.user):
        raise PermissionDenied
    current = MarketRules.current()
    form = RulesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            rules.rules_update(
                by=request.user,
                data={name: form.cleaned_data[name] for name in MarketRules.FIELDS},
            )
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(
                request, _("Saved: listings and lots approved from now on follow them.")
            )
            return redirect("market:rules")
        current.refresh_from_db()
    return render(request, "market/rules.html", {"form": form, "rules": current})


@login_required
def calendar_page(request):
    if not permissions.may_edit_calendar(request.user):
        raise PermissionDenied
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    form = CalendarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rules.calendar_set(by=request.user, **form.cleaned_data)
        except REFUSALS as exc:
            show_on_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
    days = CalendarDay.objects.filter(date__year=year).order_by("date")
    return render(
        request,
        "market/calendar.html",
        {"form": form, "days": days, "year": year, "years": range(year - 1, year + 3)},
    )
