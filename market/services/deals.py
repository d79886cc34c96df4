"""From deal to money (MARKET.md §0, "Link to existing modules"): a confirmed deal
drafts the technology contract and publishes its result; the contract waits
for the result publicity; once staff register it, the transaction
certificate (交易凭证) is issued with its own gapless number.

The subject of a deal is the listing (also when its parties bid for it in an
auction) or a lot auctioned on its own.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import people_of
from contracts.models import Contract
from contracts.services import contract_create
from market.common import next_number
from market.models import Auction, Deposit, Listing, TradeMode
from market.selectors import deal_of, deposits_of
from market.services.deposits import deposit_release
from portal.core.audit import audit_log
from portal.core.errors import TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workflow import apply_transition
from publicity import selectors as notices
from publicity import services as publicity
from publicity.models import Publicity

LICENSES = (TradeMode.EXCLUSIVE_LICENSE, TradeMode.SOLE_LICENSE, TradeMode.ORDINARY_LICENSE)


def _draft_contract(*, subject, buyer, price, by, method: str) -> Contract:
    achievement = subject.achievement
    today = timezone.localdate()
    kind = Contract.Type.LICENSE if subject.trade_mode in LICENSES else Contract.Type.TRANSFER
    return contract_create(
        by=by,
        data={
            "title": f"{achievement.title}{subject.get_trade_mode_display()}合同"[:200],
            "contract_type": kind,
            "subtype": subject.get_trade_mode_display()[:50],
            "buyer": buyer,
            "seller": subject.seller,
            "related_party": getattr(subject, "related_party", False),
            "achievement": achievement,
            "signed_on": today,
            "valid_from": today,
            # Placeholders the parties complete: the draft is theirs to confirm.
            "valid_to": today + datetime.timedelta(days=730),
            "amount": price,
            "tech_transaction_amount": price,
            "payment_method": Contract.PaymentMethod.LUMP_SUM,
            "tech_field": achievement.tech_field,
            "broker": subject.broker,
            "pricing_method": method,
            "market_deal": subject.code,
        },
    )


def deal_done(*, subject, buyer, price, by, method: str = Contract.PricingMethod.LISTING):
    """The deal's draft contract (for the parties and the broker to complete,
    confirm and submit) and the publicity of its result."""
    contract = _draft_contract(subject=subject, buyer=buyer, price=price, by=by, method=method)
    type(subject).objects.filter(pk=subject.pk).update(contract=contract)
    subject.contract = contract
    rules = subject.applied_rules
    publicity.publicity_open(
        subject=subject,
        kind=Publicity.Kind.RESULT,
        title=_("Deal result %(code)s: %(title)s")
        % {"code": subject.code, "title": subject.achievement.title},
        content={
            "code": subject.code,
            "achievement": subject.achievement.title,
            "seller": subject.seller.name,
            "buyer": buyer.name,
            "price": str(price),
            "method": str(Contract.PricingMethod(method).label),
            "date": str(timezone.localdate()),
        },
        period_value=rules.result_publicity_workdays,
        period_unit=Publicity.Unit.WORKING_DAY,
        by=by,
    )
    audit_log(
        action="market.deal.confirmed",
        actor=by,
        target=subject,
        data={"buyer": buyer.pk, "price": str(price), "contract": contract.pk, "method": method},
    )
    for org in (buyer, subject.seller):
        notify(
            users=people_of(org.pk),
            kind="market.deal.confirmed",
            title=_("Deal confirmed: %(code)s at %(price)s yuan")
            % {"code": subject.code, "price": price},
            body=_("The draft contract is ready for you to complete and confirm."),
            url=contract.get_absolute_url(),
        )
    return contract


def contract_guard(*, contract: Contract) -> None:
    """A market deal's contract is submitted and registered only after the
    result publicity, and never once an objection ended the deal."""
    subject = deal_of(contract)
    if subject is None:
        return
    if subject.status in (Listing.Status.TERMINATED, Auction.Status.CANCELLED):
        raise TransitionNotAllowed(_("The deal of %(code)s was ended.") % {"code": subject.code})
    result = notices.current(subject, Publicity.Kind.RESULT)
    if result is not None and not result.is_over():
        raise TransitionNotAllowed(
            _("The deal's result publicity runs until %(date)s.") % {"date": result.ends_on}
        )
    held = notices.blocking(result)
    if held:
        raise TransitionNotAllowed(held)


@transaction.atomic
def issue_certificate(*, contract: Contract, by=None) -> str | None:
    """Once the deal's contract is registered: the transaction certificate's
    number (JYPZ-YYYY-NNNNNN, gapless), and the listing settled. Idempotent."""
    subject = deal_of(contract)
    if subject is None or contract.status != Contract.Status.REGISTERED:
        return None
    locked = for_update(type(subject).objects).get(pk=subject.pk)
    if locked.certificate_number:
        return locked.certificate_number
    number = next_number("certificate", "JYPZ", 6)
    type(locked).objects.filter(pk=locked.pk).update(
        certificate_number=number, certificate_issued_at=timezone.now()
    )
    if isinstance(locked, Listing) and locked.status == Listing.Status.DEAL_CONFIRMED:
        apply_transition(locked, "settle", by=by)
    if isinstance(locked, Listing) and hasattr(locked, "auction"):
        Auction.objects.filter(pk=locked.auction.pk).update(
            certificate_number=number, certificate_issued_at=timezone.now()
        )
    audit_log(
        action="market.certificate.issued",
        actor=by,
        target=locked,
        data={"number": number, "contract": contract.pk},
    )
    for org_id in (contract.buyer_id, contract.seller_id):
        notify(
            users=people_of(org_id),
            kind="market.certificate.issued",
            title=_("Transaction certificate %(number)s issued for %(code)s")
            % {"number": number, "code": locked.code},
            url=locked.get_absolute_url(),
        )
    return number


def contract_registered(*, contract: Contract, by) -> None:
    """Follows a registration, in its transaction: a deal's contract gets its certificate."""
    issue_certificate(contract=contract, by=by)


@transaction.atomic
def objection_decided(objection, *, by) -> None:
    """An upheld objection to a deal's result ends the deal: the transferee's
    deposit is due back and its contract is never registered."""
    if objection.status != objection.Status.UPHELD:
        return
    notice = objection.publicity
    if notice.kind != Publicity.Kind.RESULT:
        return  # a notice's objection holds its close until staff act
    subject = notice.subject
    if isinstance(subject, Listing):
        ended = apply_transition(subject, "terminate", by=by, reason=objection.reply)
    else:
        ended = apply_transition(subject, "cancel", by=by, reason=objection.reply)
    publicity.publicity_terminate(publicity=notice, by=by, reason=objection.reply)
    for deposit in deposits_of(ended).filter(status=Deposit.Status.APPLIED_TO_PRICE):
        deposit_release(deposit=deposit, by=by, reason=_("The deal was ended by an objection."))
    for org in (ended.seller, ended.contract.buyer if ended.contract_id else None):
        if org is not None:
            notify(
                users=people_of(org.pk),
                kind="market.deal.terminated",
                title=_("The deal of %(code)s was ended by an upheld objection.")
                % {"code": ended.code},
                body=objection.reply,
                url=ended.get_absolute_url(),
            )
