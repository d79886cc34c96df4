"""The rules of public credit (MARKET.md §6.3): real-name complaints with
evidence, their investigation by staff, and the credit records. Two upheld
complaints about one subject within 12 months put it on the black list for
three years; every change is audited."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for, in_scope
from accounts.selectors import people_of
from credit.models import Complaint, CreditRecord
from credit.selectors import black_record, is_broker_account
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken
from portal.core.files import check_upload
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workdays import years_later
from portal.core.workflow import apply_transition

# MARKET.md §6.3 [D]: the black-list trigger and its term.
BLACKLIST_COMPLAINTS = 2
BLACKLIST_WINDOW_DAYS = 365
BLACKLIST_YEARS = 3


def _market_of(complaint_or_record) -> int | None:
    if complaint_or_record.organization_id:
        return complaint_or_record.organization.market_id
    organization = getattr(complaint_or_record.broker, "organization", None)
    return organization.market_id if organization else None


def decides(user, item) -> bool:
    """Staff of the subject's market (central staff everywhere)."""
    return in_scope(user, _market_of(item))


@transaction.atomic
def complaint_submit(
    *, by, organization=None, broker=None, real_name: str, contact: str, facts: str, evidence
) -> Complaint:
    """A signed-in person complains under a real name, with facts and evidence,
    about an organisation or a broker — never about its own organisation."""
    errors: dict[str, list] = {}
    if not getattr(by, "is_authenticated", False):
        raise NotPermitted(_("Sign in to complain under your real name."))
    if (organization is None) == (broker is None):
        errors["subject"] = [_("Name the organisation or the broker complained about.")]
    elif organization is not None and acts_for(by, organization.pk):
        errors["subject"] = [_("You do not complain about your own organisation.")]
    elif broker is not None and (
        broker.pk == by.pk
        or not type(broker).objects.filter(is_broker_account(), pk=broker.pk).exists()
    ):
        errors["subject"] = [_("Choose a technology broker other than yourself.")]
    for field, value in (("real_name", real_name), ("contact", contact), ("facts", facts)):
        if not (value or "").strip():
            errors[field] = [_("This field is required.")]
    checked = None
    try:
        checked = check_upload(evidence) if evidence else None
    except RuleBroken as exc:
        errors["evidence"] = exc.messages
    if checked is None and "evidence" not in errors:
        errors["evidence"] = [_("Attach the evidence (a PDF, an image or an office file).")]
    if errors:
        raise RuleBroken(errors)
    complaint = Complaint(
        organization=organization,
        broker=broker,
        complainant=by,
        real_name=real_name.strip()[:50],
        contact=contact.strip()[:100],
        facts=facts.strip(),
        evidence_name=checked.name[:150],
    )
    complaint.evidence.save(f"evidence.{checked.ext}", checked.upload, save=False)
    complaint.save()
    audit_log(
        action="credit.complaint.received",
        actor=by,
        target=complaint,
        to_status=complaint.status,
    )
    return complaint


def complaint_investigate(*, complaint: Complaint, by) -> Complaint:
    if not decides(by, complaint):
        raise NotPermitted(_("Only staff of the subject's market can do this."))
    return apply_transition(complaint, "investigate", by=by)


@transaction.atomic
def complaint_decide(*, complaint: Complaint, by, upheld: bool, reply: str) -> Complaint:
    """Upheld (after an investigation) or not, with a reply the complainant is
    sent. The second upheld complaint within 12 months black-lists the subject."""
    if not decides(by, complaint):
        raise NotPermitted(_("Only staff of the subject's market can do this."))
    if complaint.complainant_id == by.pk:
        raise NotPermitted(_("You do not decide your own complaint."))
    reply = (reply or "").strip()
    if not reply:
        raise RuleBroken({"reply": [_("Reply to the complainant with the findings.")]})
    done = apply_transition(
        complaint,
        "uphold" if upheld else "reject",
        by=by,
        reason=reply,
        changes={"reply": reply[:2000], "decided_by": by, "decided_at": timezone.now()},
    )
    notify(
        users=[done.complainant],
        kind=f"credit.complaint.{done.status}",
        title=_("Your complaint: %(status)s") % {"status": done.get_status_display()},
        body=reply,
        url=done.get_absolute_url(),
    )
    if upheld:
        _blacklist_on_complaints(done, by=by)
    return done


def _blacklist_on_complaints(complaint: Complaint, *, by) -> CreditRecord | None:
    subject = {"organization_id": complaint.organization_id, "broker_id": complaint.broker_id}
    since = timezone.now() - datetime.timedelta(days=BLACKLIST_WINDOW_DAYS)
    upheld = list(
        Complaint.objects.filter(
            **subject, status=Complaint.Status.UPHELD, decided_at__gte=since
        ).values_list("pk", flat=True)
    )
    if len(upheld) < BLACKLIST_COMPLAINTS or black_record(**subject):
        return None
    today = timezone.localdate()
    return _record(
        by=by,
        subject=subject,
        kind=CreditRecord.Kind.BLACK,
        source=CreditRecord.Source.COMPLAINTS,
        reason=_("%(n)d upheld complaints within 12 months") % {"n": len(upheld)},
        evidence=_("Complaints %(numbers)s") % {"numbers": ", ".join(f"#{n}" for n in upheld)},
        starts_on=today,
        ends_on=years_later(today, BLACKLIST_YEARS),
    )


def _record(*, by, subject: dict, **fields) -> CreditRecord:
    record = CreditRecord(created_by=by, **subject, **fields)
    record.full_clean(exclude=["created_by", "lifted_by"])
    record.save()
    audit_log(
        action=f"credit.creditrecord.{record.kind}",
        actor=by,
        target=record,
        reason=record.reason,
        data={"source": record.source, "evidence": record.evidence},
    )
    org_id = record.organization_id or getattr(record.broker, "organization_id", None)
    notify(
        users=[*people_of(org_id)] + ([record.broker] if record.broker_id else []),
        kind=f"credit.record.{record.kind}",
        title=_("Credit record: %(kind)s") % {"kind": record.get_kind_display()},
        body=record.reason,
        url="",
    )
    return record


@transaction.atomic
def record_create(
    *,
    by,
    organization=None,
    broker=None,
    kind: str,
    source: str,
    reason: str,
    evidence: str,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    public: bool = True,
) -> CreditRecord:
    """Staff record a credit entry by decision; every entry names its evidence.
    A black-list entry for falsified data runs three years unless said otherwise."""
    errors: dict[str, list] = {}
    if (organization is None) == (broker is None):
        errors["subject"] = [_("Name the organisation or the broker.")]
    if kind not in CreditRecord.Kind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    if source not in CreditRecord.Source.values:
        errors["source"] = [_("Choose one of the listed values.")]
    if not (reason or "").strip():
        errors["reason"] = [_("This field is required.")]
    if not (evidence or "").strip():
        errors["evidence"] = [_("A credit record names its evidence.")]
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The record ends after it starts.")]
    if errors:
        raise RuleBroken(errors)
    probe = CreditRecord(organization=organization, broker=broker)
    if not decides(by, probe):
        raise NotPermitted(_("Only staff of the subject's market can do this."))
    if (
        kind == CreditRecord.Kind.BLACK
        and ends_on is None
        and source == CreditRecord.Source.FALSIFICATION
    ):
        ends_on = years_later(starts_on, BLACKLIST_YEARS)
    return _record(
        by=by,
        subject={"organization": organization, "broker": broker},
        kind=kind,
        source=source,
        reason=reason.strip()[:500],
        evidence=evidence.strip()[:500],
        starts_on=starts_on,
        ends_on=ends_on,
        public=public,
    )


@transaction.atomic
def record_lift(*, record: CreditRecord, by, reason: str) -> CreditRecord:
    """Staff lift a record before its end (a decision overturned), with a reason."""
    record = for_update(CreditRecord.objects).get(pk=record.pk)
    if not decides(by, record):
        raise NotPermitted(_("Only staff of the subject's market can do this."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Say why.")]})
    if record.lifted_at:
        raise RuleBroken({"reason": [_("This record was lifted already.")]})
    record.lifted_at, record.lifted_by, record.lift_reason = timezone.now(), by, reason[:500]
    record.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_log(action="credit.creditrecord.lifted", actor=by, target=record, reason=reason)
    return record
