"""The purchase subsidy: what an enterprise may claim, computed payment by
payment; its applications through two reviews; the cap, under a lock on the
enterprise's ledger (then the application)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.permissions import acts_for
from accounts.regions import is_hubei
from contracts.models import (
    Contract,
    Payment,
    SubsidyApplication,
    SubsidyLedger,
    SubsidyLine,
    SubsidyProgram,
)
from contracts.permissions import (
    is_market_staff_of,
)
from contracts.selectors import open_application
from contracts.services.common import _require, _require_central, _require_reason
from credit.selectors import black_record
from portal.core.attachments import attachments_add, attachments_of
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.money import ZERO, round_fen, yuan
from portal.core.notifications import notify
from portal.core.workflow import apply_transition

# Switched off only by the race test's negative control, to show that the test
# would catch a missing lock. Never change it anywhere else.
LOCK_LEDGER = True


@dataclass
class Line:
    payment: Payment
    paid_amount: Decimal
    subsidy: Decimal


@dataclass
class Excluded:
    payment: Payment
    reason: str


@dataclass
class Computation:
    lines: list[Line] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    eligible_paid: Decimal = ZERO
    uncapped: Decimal = ZERO
    granted_before: Decimal = ZERO
    remaining_cap: Decimal = ZERO
    amount: Decimal = ZERO
    problem: str = ""


def buyer_problem(organization: Organization) -> str:
    """Why this organisation cannot receive the subsidy at all, or ""."""
    if organization.kind != Organization.Kind.ENTERPRISE:
        return _("only enterprises receive the purchase subsidy")
    if not organization.verified:
        return _("the enterprise is not verified yet")
    if not is_hubei(organization.region_code):
        return _("the buyer is not registered in Hubei")
    if black_record(organization_id=organization.pk):
        return _("the enterprise is on the black list")
    return ""


def _ledger(program: SubsidyProgram, organization: Organization, *, lock: bool) -> SubsidyLedger:
    try:
        with transaction.atomic():
            SubsidyLedger.objects.get_or_create(
                program=program, organization=organization, defaults={"cap": program.cap}
            )
    except IntegrityError:
        pass
    rows = SubsidyLedger.objects.filter(program=program, organization=organization)
    return (for_update(rows) if lock else rows).get()


def subsidy_compute(
    *,
    program: SubsidyProgram,
    organization: Organization,
    application: SubsidyApplication | None = None,
) -> Computation:
    """What the enterprise may claim now, payment by payment (DOMAIN.md):

    verified payments, inside the payment window, on its registered contracts
    of an eligible type that are not related-party deals, not claimed by
    another live application of the programme; times the rate, rounded
    half-up to the fen; limited to what remains of the cap.
    """
    result = Computation(problem=buyer_problem(organization))
    # A payment is subsidised once, in whichever programme claimed it first.
    claimed = {
        payment_id: (application_id, program_name)
        for payment_id, application_id, program_name in SubsidyLine.objects.filter(live=True)
        .exclude(application=application)
        .values_list("payment_id", "application_id", "program__name")
    }
    payments = (
        Payment.objects.filter(contract__buyer=organization)
        .select_related("contract")
        .order_by("paid_on", "id")
    )
    for payment in payments:
        contract = payment.contract
        if result.problem:
            reason = result.problem
        elif contract.status not in (Contract.Status.REGISTERED, Contract.Status.TERMINATED):
            reason = _("the contract is not registered")
        elif contract.contract_type not in program.eligible_contract_types:
            reason = _("%(type)s contracts are not eligible in this programme") % {
                "type": contract.get_contract_type_display()
            }
        elif contract.related_party:
            reason = _("a related-party transaction")
        elif contract.seller_id == contract.buyer_id:
            reason = _("the seller is the buyer")
        elif contract.consent_flagged or not contract.is_confirmed:
            reason = _("a party has not confirmed the contract")
        elif payment.buyer_confirmed_at is None:
            reason = _("the buyer has not confirmed the payment")
        elif payment.status != Payment.Status.VERIFIED:
            reason = _("the payment is not verified")
        elif not program.payment_from <= payment.paid_on <= program.payment_to:
            reason = _("paid outside the programme's payment window (%(start)s – %(end)s)") % {
                "start": program.payment_from,
                "end": program.payment_to,
            }
        elif payment.pk in claimed:
            reason = _("already claimed by application #%(id)s (%(program)s)") % {
                "id": claimed[payment.pk][0],
                "program": claimed[payment.pk][1],
            }
        else:
            result.lines.append(
                Line(
                    payment=payment,
                    paid_amount=payment.amount,
                    subsidy=round_fen(payment.amount * program.rate),
                )
            )
            continue
        result.excluded.append(Excluded(payment=payment, reason=reason))
    result.eligible_paid = sum((line.paid_amount for line in result.lines), ZERO)
    result.uncapped = round_fen(result.eligible_paid * program.rate)
    ledger = SubsidyLedger.objects.filter(program=program, organization=organization).first()
    result.granted_before = ledger.granted_total if ledger else ZERO
    result.remaining_cap = max(program.cap - result.granted_before, ZERO)
    result.amount = min(result.uncapped, result.remaining_cap)
    return result


def _in_window(program: SubsidyProgram, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if not program.opens_on <= today <= program.closes_on:
        raise RuleBroken(
            {
                "program": [
                    _("Applications to %(name)s are accepted from %(start)s to %(end)s.")
                    % {"name": program.name, "start": program.opens_on, "end": program.closes_on}
                ]
            }
        )


def _store_lines(application: SubsidyApplication, computation: Computation, *, live: bool):
    application.lines.all().delete()
    SubsidyLine.objects.bulk_create(
        [
            SubsidyLine(
                application=application,
                program=application.program,
                contract_id=line.payment.contract_id,
                payment=line.payment,
                paid_amount=line.paid_amount,
                subsidy=line.subsidy,
                live=live,
            )
            for line in computation.lines
        ]
    )
    application.eligible_paid_amount = computation.eligible_paid
    application.computed_amount = computation.amount


@transaction.atomic
def subsidy_apply(
    *,
    by,
    program: SubsidyProgram,
    organization: Organization | None = None,
    today: datetime.date | None = None,
) -> SubsidyApplication:
    """A draft application of the member's own enterprise, with its computation."""
    own = getattr(by, "organization", None)
    if organization is not None and organization != own:
        raise NotPermitted(_("You can apply for your own organisation only."))
    _require(
        own is not None and own.kind == Organization.Kind.ENTERPRISE and acts_for(by, own.pk),
        _("Only members of an enterprise who may act for it can apply."),
    )
    _in_window(program, today)
    problem = buyer_problem(own)
    if problem:
        raise RuleBroken(_("Cannot apply: %(problem)s.") % {"problem": problem})
    # A second click opens the draft (or the returned application) already there.
    for_update(Organization.objects).filter(pk=own.pk).exists()
    existing = open_application(program=program, organization=own)
    if existing is not None:
        return existing
    application = SubsidyApplication.objects.create(
        program=program, organization=own, created_by=by
    )
    _store_lines(
        application,
        subsidy_compute(program=program, organization=own, application=application),
        live=False,
    )
    application.save()
    audit_log(
        action="contracts.subsidyapplication.created",
        actor=by,
        target=application,
        to_status=application.status,
    )
    return application


@transaction.atomic
def subsidy_submit(
    *, application: SubsidyApplication, by, today: datetime.date | None = None
) -> SubsidyApplication:
    """Recompute under the enterprise's ledger lock and claim the payments."""
    _require(
        acts_for(by, application.organization_id),
        _("Only members of the applying enterprise can submit it."),
    )
    if application.status not in SubsidyApplication.EDITABLE:
        raise TransitionNotAllowed(_("This application has been submitted already."))
    resubmitted = application.status == SubsidyApplication.Status.RETURNED
    _in_window(application.program, today)
    _ledger(application.program, application.organization, lock=True)
    computation = subsidy_compute(
        program=application.program, organization=application.organization, application=application
    )
    if computation.problem:
        raise RuleBroken(_("Cannot apply: %(problem)s.") % {"problem": computation.problem})
    if not computation.lines:
        raise RuleBroken(_("No eligible payment to claim: see why each one is left out."))
    if computation.amount <= 0:
        raise RuleBroken(_("The enterprise has reached the programme's cap."))
    _store_lines(application, computation, live=True)
    application.save(update_fields=["eligible_paid_amount", "computed_amount", "updated_at"])
    changes = {"submitted_at": timezone.now()}
    if resubmitted:
        changes["round"] = SubsidyApplication.objects.get(pk=application.pk).round + 1
    return apply_transition(application, "submit", by=by, changes=changes)


@transaction.atomic
def subsidy_send_back(*, application: SubsidyApplication, by, reason: str) -> SubsidyApplication:
    """A reviewer returns it with a reason instead of rejecting: the enterprise
    adds documents and submits it again (its claims are released meanwhile)."""
    reason = _require_reason(reason)
    current = SubsidyApplication.objects.get(pk=application.pk)
    if current.status == SubsidyApplication.Status.CITY_REVIEWED:
        _require_central(by)
    else:
        _require(
            is_market_staff_of(by, current),
            _("Only staff of the enterprise's market do the first review."),
        )
    returned = apply_transition(
        application,
        "send_back",
        by=by,
        reason=reason,
        changes={"return_reason": reason, "city_reviewed_by": None},
    )
    SubsidyLine.objects.filter(application=returned).update(live=False)
    notify(
        users=[returned.created_by],
        kind="contracts.subsidy.returned",
        title=_("Subsidy application returned for changes"),
        body=reason,
        url=returned.get_absolute_url(),
    )
    return returned


def subsidy_attach(*, application: SubsidyApplication, by, files) -> list:
    """Supporting documents, while the enterprise may change the application."""
    _require(
        acts_for(by, application.organization_id),
        _("Only members of the applying enterprise add documents."),
    )
    if application.status not in SubsidyApplication.EDITABLE:
        raise TransitionNotAllowed(_("Documents are added before the application is submitted."))
    return attachments_add(target=application, files=files, by=by, field="files")


@transaction.atomic
def subsidy_delete(*, application: SubsidyApplication, by) -> None:
    """A draft the enterprise no longer wants, with its documents."""
    current = for_update(SubsidyApplication.objects).get(pk=application.pk)
    _require(
        acts_for(by, current.organization_id),
        _("Only members of the applying enterprise delete its draft."),
    )
    if current.status != SubsidyApplication.Status.DRAFT:
        raise TransitionNotAllowed(_("Only a draft that was never submitted can be deleted."))
    audit_log(
        action="contracts.subsidyapplication.deleted",
        actor=by,
        target=current,
        from_status=current.status,
        data={"program": current.program_id},
    )
    attachments_of(current).delete()
    current.delete()


@transaction.atomic
def subsidy_city_review(*, application: SubsidyApplication, by) -> SubsidyApplication:
    """初审 by staff of the enterprise's market."""
    _require(
        is_market_staff_of(by, application),
        _("Only staff of the enterprise's market do the first review."),
    )
    return apply_transition(application, "city_review", by=by, changes={"city_reviewed_by": by})


@transaction.atomic
def subsidy_approve(*, application: SubsidyApplication, by) -> SubsidyApplication:
    """复审 by central staff, never the city reviewer. The granted amount is fixed
    here, under the enterprise's ledger lock, within what remains of the cap."""
    _require_central(by)
    current = SubsidyApplication.objects.get(pk=application.pk)
    if current.status != SubsidyApplication.Status.CITY_REVIEWED:
        raise TransitionNotAllowed(
            _(
                "Only applications that passed the city review can be approved; this one is "
                "“%(status)s”."
            )
            % {"status": current.get_status_display()}
        )
    if current.city_reviewed_by_id == by.pk:
        raise NotPermitted(_("The second review must be done by someone else than the first."))
    # Lock order: ledger, then the application (apply_transition locks it).
    ledger = _ledger(current.program, current.organization, lock=LOCK_LEDGER)
    granted = min(current.computed_amount, max(ledger.cap - ledger.granted_total, ZERO))
    if granted <= 0:
        raise RuleBroken(_("The enterprise has reached the programme's cap; reject it instead."))
    # F(): the database adds, and its check constraint keeps the total within the cap.
    SubsidyLedger.objects.filter(pk=ledger.pk).update(granted_total=F("granted_total") + granted)
    approved = apply_transition(
        application,
        "approve",
        by=by,
        changes={"granted_amount": granted, "approved_by": by, "approved_at": timezone.now()},
    )
    notify(
        users=[approved.created_by],
        kind="contracts.subsidy.approved",
        title=_("Subsidy approved: %(amount)s") % {"amount": yuan(granted)},
        body=str(approved.program),
        url=approved.get_absolute_url(),
    )
    return approved


@transaction.atomic
def subsidy_reject(*, application: SubsidyApplication, by, reason: str) -> SubsidyApplication:
    reason = _require_reason(reason)
    current = SubsidyApplication.objects.get(pk=application.pk)
    if current.status == SubsidyApplication.Status.CITY_REVIEWED:
        _require_central(by)
    else:
        _require(
            is_market_staff_of(by, current),
            _("Only staff of the enterprise's market do the first review."),
        )
    rejected = apply_transition(
        application, "reject", by=by, reason=reason, changes={"reject_reason": reason}
    )
    SubsidyLine.objects.filter(application=rejected).update(live=False)  # release the claims
    notify(
        users=[rejected.created_by],
        kind="contracts.subsidy.rejected",
        title=_("Subsidy application rejected"),
        body=reason,
        url=rejected.get_absolute_url(),
    )
    return rejected


@transaction.atomic
def subsidy_disburse(
    *, application: SubsidyApplication, by, voucher: str, paid_on: datetime.date | None
) -> SubsidyApplication:
    """拨付: recorded by central staff other than the approver (four eyes), on a
    date between the approval and today."""
    _require_central(by)
    current = SubsidyApplication.objects.get(pk=application.pk)
    if current.status != SubsidyApplication.Status.APPROVED:
        raise TransitionNotAllowed(
            _("Only approved applications are disbursed; this one is “%(status)s”.")
            % {"status": current.get_status_display()}
        )
    if current.approved_by_id == by.pk:
        raise NotPermitted(_("The disbursement is recorded by someone else than the approver."))
    errors = {}
    voucher = (voucher or "").strip()
    if not voucher:
        errors["voucher"] = [_("Enter the voucher number.")]
    if paid_on is None:
        errors["paid_on"] = [_("Enter the date of the transfer.")]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date is in the future.")]
    elif current.approved_at and paid_on < timezone.localdate(current.approved_at):
        errors["paid_on"] = [
            _("The transfer cannot precede the approval (%(date)s).")
            % {"date": timezone.localdate(current.approved_at).isoformat()}
        ]
    if errors:
        raise RuleBroken(errors)
    disbursed = apply_transition(
        application,
        "disburse",
        by=by,
        changes={"voucher": voucher, "paid_on": paid_on, "disbursed_by": by},
        audit_data={"voucher": voucher, "paid_on": paid_on.isoformat()},
    )
    notify(
        users=[disbursed.created_by],
        kind="contracts.subsidy.disbursed",
        title=_("Subsidy transferred: %(amount)s") % {"amount": yuan(disbursed.granted_amount)},
        body=str(disbursed.program),
        url=disbursed.get_absolute_url(),
    )
    return disbursed


def ledger_of(*, program: SubsidyProgram, organization: Organization) -> tuple[Decimal, Decimal]:
    """(granted total, remaining cap) of an enterprise in a programme."""
    ledger = SubsidyLedger.objects.filter(program=program, organization=organization).first()
    granted = ledger.granted_total if ledger else ZERO
    return granted, max(program.cap - granted, ZERO)
