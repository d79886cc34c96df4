"""Deposits (保证金) of listings and lots (MARKET.md §1.6), and their ledger.

Every movement of money is an entry: received (+), applied to the price (−),
taken back from the price (+, when a deal is undone), refunded (−),
forfeited (−). What the market holds for a subject is the sum of its
entries, which equals the amounts of its deposits still held.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import people_of
from market.common import require
from market.models import Deposit, DepositEntry, Listing
from market.permissions import handles_deposits
from market.selectors import deposits_of
from portal.core.dates import validate_plausible_date
from portal.core.errors import RuleBroken
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workdays import add_workdays
from portal.core.workflow import apply_transition


def _payers(deposit: Deposit):
    return people_of(deposit.organization_id, administrators_only=False)


def deadline_of(subject) -> datetime.date | None:
    """The last day a deposit may arrive: the notice's last day, or the day
    before a lot's bidding starts."""
    if isinstance(subject, Listing):
        return subject.notice_ends_on
    return timezone.localtime(subject.starts_at).date() - datetime.timedelta(days=1)


def deposit_open(*, subject, organization) -> Deposit:
    """The deposit an intended transferee or a bidder owes (the subject's amount)."""
    field = "listing" if isinstance(subject, Listing) else "auction"
    return Deposit.objects.create(
        **{field: subject}, organization=organization, amount=subject.deposit_amount
    )


def _entry(deposit: Deposit, kind: str, amount, *, by, on=None, note: str = "") -> None:
    DepositEntry.objects.create(
        deposit=deposit,
        kind=kind,
        amount=amount,
        on=on or timezone.localdate(),
        by=by if getattr(by, "is_authenticated", False) else None,
        note=note[:200],
    )


def _refund_due(subject) -> datetime.date:
    return add_workdays(timezone.localdate(), subject.applied_rules.deposit_refund_workdays)


@transaction.atomic
def deposit_receive(*, deposit: Deposit, by, received_on: datetime.date | None = None) -> Deposit:
    """Staff confirm the money arrived (the bank's date). After the deadline it is
    not accepted: it is to be refunded at once."""
    deposit = for_update(Deposit.objects).get(pk=deposit.pk)
    subject = deposit.subject
    require(handles_deposits(by, subject), _("Staff of the market receive deposits."))
    today = timezone.localdate()
    received_on = received_on or today
    try:
        validate_plausible_date(received_on)
    except Exception as exc:
        raise RuleBroken({"received_on": list(getattr(exc, "messages", [str(exc)]))}) from exc
    if received_on > today:
        raise RuleBroken({"received_on": [_("The money cannot arrive in the future.")]})
    deadline = deadline_of(subject)
    late = deadline is None or received_on > deadline
    changed = apply_transition(
        deposit,
        "receive_late" if late else "receive",
        by=by,
        changes={"received_on": received_on},
        audit_data={"amount": str(deposit.amount), "received_on": str(received_on)},
    )
    _entry(changed, DepositEntry.Kind.RECEIVED, changed.amount, by=by, on=received_on)
    if late:
        changed = deposit_release(
            deposit=changed, by=by, reason=_("It arrived after the deadline.")
        )
    notify(
        users=_payers(changed),
        kind="market.deposit.late" if late else "market.deposit.received",
        title=(
            _("Deposit arrived late, to be refunded: %(code)s")
            if late
            else _("Deposit received: %(code)s")
        )
        % {"code": subject.code},
        url=subject.get_absolute_url(),
    )
    return changed


def deposit_release(*, deposit: Deposit, by=None, reason: str = "") -> Deposit:
    """Due back to the payer within the rules' working days."""
    applied = deposit.status == Deposit.Status.APPLIED_TO_PRICE
    released = apply_transition(
        deposit,
        "release",
        by=by,
        reason=reason,
        changes={"refund_due_on": _refund_due(deposit.subject)},
    )
    if applied:
        _entry(released, DepositEntry.Kind.APPLIED_REVERSED, released.amount, by=by, note=reason)
    return released


def release_all(subject, *, by=None, keep: tuple[int, ...] = (), reason: str = "") -> int:
    """Release every deposit held for the subject but those in `keep`."""
    released = 0
    for deposit in deposits_of(subject).filter(status=Deposit.Status.FROZEN).exclude(pk__in=keep):
        deposit_release(deposit=deposit, by=by, reason=reason)
        released += 1
    return released


def deposit_apply(*, deposit: Deposit, by=None) -> Deposit:
    """The winner's or the transferee's deposit becomes part of the price."""
    applied = apply_transition(deposit, "apply", by=by)
    _entry(applied, DepositEntry.Kind.APPLIED, -applied.amount, by=by)
    return applied


def deposit_forfeit(*, deposit: Deposit, by=None, reason: str) -> Deposit:
    forfeited = apply_transition(
        deposit, "forfeit", by=by, reason=reason, changes={"forfeit_reason": reason[:200]}
    )
    _entry(forfeited, DepositEntry.Kind.FORFEITED, -forfeited.amount, by=by, note=reason)
    notify(
        users=_payers(forfeited),
        kind="market.deposit.forfeited",
        title=_("Deposit forfeited: %(code)s") % {"code": forfeited.subject.code},
        body=reason,
        url=forfeited.subject.get_absolute_url(),
    )
    return forfeited


@transaction.atomic
def deposit_refunded(*, deposit: Deposit, by) -> Deposit:
    """Staff record that the refund was paid back through the original channel."""
    require(handles_deposits(by, deposit.subject), _("Staff of the market refund deposits."))
    refunded = apply_transition(deposit, "refund", by=by)
    _entry(refunded, DepositEntry.Kind.REFUNDED, -refunded.amount, by=by)
    notify(
        users=_payers(refunded),
        kind="market.deposit.refunded",
        title=_("Deposit refunded: %(code)s") % {"code": refunded.subject.code},
        url=refunded.subject.get_absolute_url(),
    )
    return refunded


@transaction.atomic
def party_decide(party, *, by, qualified: bool, reason: str = ""):
    """Qualify or refuse a party that owes a deposit (a listing's intended
    transferee, a lot's bidder): a refusal says why, and releases the party's
    frozen deposit. The caller checks who decides and tells the party."""
    reason = (reason or "").strip()
    if not qualified and not reason:
        raise RuleBroken({"reason": [_("Give the reason.")]})
    changed = apply_transition(
        party,
        "qualify" if qualified else "disqualify",
        by=by,
        reason=reason,
        changes={"decision_reason": reason[:200]},
    )
    if not qualified and changed.deposit.status == Deposit.Status.FROZEN:
        deposit_release(deposit=changed.deposit, by=by, reason=_("Not qualified."))
    return changed
