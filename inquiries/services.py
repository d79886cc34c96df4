"""Every write of an inquiry: sending, reading, replying, accepting, closing,
and staff assigning a broker. The pages, the API and the tasks call these."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for, is_broker
from accounts.selectors import people_of
from contracts.models import Contract
from inquiries import permissions
from inquiries.models import Inquiry, InquiryMessage
from inquiries.selectors import subject_of, title_of
from market.models import Listing
from portal.core.attachments import attachments_add
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.limits import NOTE_MAX
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workflow import apply_transition

# A listing that went this far is a deal's trace; one that never ran is not.
S = Listing.Status
LISTING_NOT_A_DEAL = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.REJECTED, S.WITHDRAWN)


def _text(value, field: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise RuleBroken({field: [_("This field is required.")]})
    if len(text) > NOTE_MAX:
        raise RuleBroken({field: [_("At most %(n)d characters.") % {"n": NOTE_MAX}]})
    return text


def _tell(inquiry: Inquiry, *, org_ids, title: str, broker: bool = True, skip=None) -> None:
    users = [u for org_id in org_ids for u in people_of(org_id, administrators_only=False)]
    if broker and inquiry.broker_id:
        users.append(inquiry.broker)
    notify(
        users=[u for u in users if skip is None or u.pk != skip.pk],
        kind="inquiries.inquiry",
        title=title,
        url=inquiry.get_absolute_url(),
        email=True,
    )


@transaction.atomic
def inquiry_send(
    *,
    by,
    subject_type: str,
    subject_id,
    kind: str,
    message: str,
    broker_requested: bool = False,
    files=(),
    match=None,
) -> tuple[Inquiry, bool]:
    """Send an inquiry to the owner of a published item: (the inquiry, whether
    this call made it). An open one of the same organisation about the same
    item is returned instead of a second."""
    organization = getattr(by, "organization", None)
    if not permissions.may_send(by, organization):
        raise NotPermitted(_("A member of a verified organisation sends inquiries."))
    item = subject_of(subject_type, subject_id)
    if item.organization_id == organization.pk:
        raise RuleBroken({"subject": [_("This item is your own organisation's.")]})
    existing = Inquiry.objects.filter(
        subject_type=subject_type,
        subject_id=item.pk,
        from_organization=organization,
        status__in=Inquiry.OPEN,
    ).first()
    if existing is not None:
        return existing, False
    errors = {}
    if kind not in Inquiry.Kind.values:
        errors["kind"] = [_("Choose what you want.")]
    try:
        message = _text(message, "message")
    except RuleBroken as exc:
        errors.update(exc.message_dict)
    if errors:
        raise RuleBroken(errors)
    now = timezone.now()
    inquiry = Inquiry.objects.create(
        subject_type=subject_type,
        subject_id=item.pk,
        subject_title=title_of(item),
        from_organization=organization,
        to_organization_id=item.organization_id,
        created_by=by,
        kind=kind,
        message=message,
        broker_requested=bool(broker_requested),
        last_message_at=now,
        from_read_at=now,
    )
    if files:
        attachments_add(target=inquiry, files=files, by=by, field="files")
    audit_log(
        action="inquiries.inquiry.sent",
        actor=by,
        target=inquiry,
        to_status=inquiry.status,
        data={"subject": f"{subject_type}:{item.pk}", "kind": kind},
    )
    if match is not None:
        from matching.services import feedback_give  # the "已联系" feedback is the inquiry

        if acts_for(by, organization.pk) and organization.pk in (
            match.demand.organization_id,
            match.achievement.organization_id,
        ):
            feedback_give(match=match, by=by, verdict="contacted")
    _tell(
        inquiry,
        org_ids=[inquiry.to_organization_id],
        title=_("Inquiry from %(org)s about %(item)s")
        % {"org": organization.name, "item": inquiry.subject_title},
        broker=False,
    )
    return inquiry, True


@transaction.atomic
def inquiry_opened(*, inquiry: Inquiry, by) -> Inquiry:
    """A member of a side opened the thread: its read mark moves; the owner's
    first look makes a sent inquiry read."""
    side = permissions.side_of(by, inquiry)
    if side is None:
        return inquiry
    now = timezone.now()
    field = "from_read_at" if side == "from" else "to_read_at"
    Inquiry.objects.filter(pk=inquiry.pk).update(**{field: now})
    setattr(inquiry, field, now)
    if (
        side == "to"
        and inquiry.status == Inquiry.Status.SENT
        and acts_for(by, inquiry.to_organization_id)
    ):
        inquiry = apply_transition(inquiry, "read", by=by)
    return inquiry


@transaction.atomic
def message_post(*, inquiry: Inquiry, by, text: str, files=()) -> InquiryMessage:
    """A message in the thread by either side or the broker; the owner's first
    one is the reply."""
    locked = for_update(Inquiry.objects).get(pk=inquiry.pk)
    if not permissions.may_write(by, locked):
        if not locked.is_open:
            raise TransitionNotAllowed(_("This inquiry is closed."))
        raise NotPermitted(_("The two organisations and the broker write here."))
    text = _text(text, "text")
    if acts_for(by, locked.to_organization_id):
        side, org_id = "to", locked.to_organization_id
    elif acts_for(by, locked.from_organization_id):
        side, org_id = "from", locked.from_organization_id
    else:
        side, org_id = "broker", None
    message = InquiryMessage.objects.create(
        inquiry=locked, author=by, organization_id=org_id, text=text
    )
    if files:
        attachments_add(target=locked, files=files, by=by, field="files")
    now = timezone.now()
    changes = {"last_message_at": now}
    if side in ("from", "to"):
        changes[f"{side}_read_at"] = now
    if side == "to" and locked.status in Inquiry.UNANSWERED:
        locked = apply_transition(locked, "reply", by=by, changes={**changes, "replied_at": now})
    else:
        Inquiry.objects.filter(pk=locked.pk).update(**changes)
    audit_log(
        action="inquiries.message.posted",
        actor=by,
        target=locked,
        data={"message": message.pk, "side": side},
    )
    others = [o for o in (locked.from_organization_id, locked.to_organization_id) if o != org_id]
    _tell(
        locked,
        org_ids=others,
        title=_("New message about %(item)s") % {"item": locked.subject_title},
        broker=side != "broker",
        skip=by,
    )
    return message


def inquiry_accept(*, inquiry: Inquiry, by) -> Inquiry:
    """The owner accepts to talk: each side's contact details are shown from now on."""
    if not acts_for(by, inquiry.to_organization_id):
        raise NotPermitted(_("A member of the owner accepts."))
    with transaction.atomic():
        accepted = apply_transition(
            inquiry,
            "accept",
            by=by,
            changes={"accepted_at": timezone.now(), "accepted_by": by},
        )
        _tell(
            accepted,
            org_ids=[accepted.from_organization_id],
            title=_("%(org)s accepted your inquiry about %(item)s; contact details are shown")
            % {"org": accepted.to_organization.name, "item": accepted.subject_title},
        )
    return accepted


def _deal_link(inquiry: Inquiry, *, listing, contract) -> dict:
    sides = {inquiry.from_organization_id, inquiry.to_organization_id}
    if contract not in (None, ""):
        found = Contract.objects.filter(pk=_pk(contract, "contract")).first()
        if (
            found is None
            or found.status != Contract.Status.REGISTERED
            or {found.buyer_id, found.seller_id} != sides
        ):
            raise RuleBroken(
                {"contract": [_("Choose a registered contract between the two organisations.")]}
            )
        return {"contract": found}
    if listing not in (None, ""):
        found = Listing.objects.filter(pk=_pk(listing, "listing")).first()
        if found is None or found.holder_id not in sides or found.status in LISTING_NOT_A_DEAL:
            raise RuleBroken(
                {
                    "listing": [
                        _("Choose a listing of one of the two organisations that went to market.")
                    ]
                }
            )
        return {"listing": found}
    raise RuleBroken({"contract": [_("A deal names its registered contract or its listing.")]})


def _pk(value, field: str) -> int:
    try:
        return int(getattr(value, "pk", value))
    except (TypeError, ValueError):
        raise RuleBroken({field: [_("Choose one from the list.")]}) from None


def inquiry_close(
    *, inquiry: Inquiry, by, outcome: str, reason: str = "", listing=None, contract=None
) -> Inquiry:
    """Either side ends the conversation: a deal (linked to a listing or a
    registered contract) or no deal (with a reason)."""
    if not permissions.may_close(by, inquiry):
        if not inquiry.is_open:
            raise TransitionNotAllowed(_("This inquiry is closed."))
        raise NotPermitted(_("A member of either organisation closes it."))
    reason = _text(reason, "reason", required=outcome == "no_deal")[:500]
    if outcome == "deal":
        action, changes = "close_deal", _deal_link(inquiry, listing=listing, contract=contract)
    elif outcome == "no_deal":
        action, changes = "close_no_deal", {}
    else:
        raise RuleBroken({"outcome": [_("Choose deal or no deal.")]})
    with transaction.atomic():
        closed = apply_transition(
            inquiry,
            action,
            by=by,
            reason=reason,
            changes={**changes, "close_reason": reason, "closed_at": timezone.now()},
        )
        _tell(
            closed,
            org_ids=[closed.from_organization_id, closed.to_organization_id],
            title=_("The inquiry about %(item)s is closed: %(status)s")
            % {"item": closed.subject_title, "status": closed.get_status_display()},
            skip=by,
        )
    return closed


@transaction.atomic
def broker_assign(*, inquiry: Inquiry, by, broker) -> Inquiry:
    """Staff of the owner's market name a broker to mediate."""
    locked = for_update(Inquiry.objects).get(pk=inquiry.pk)
    if not permissions.may_assign_broker(by, locked):
        raise NotPermitted(_("Staff of the owner's market assign brokers to open inquiries."))
    if broker is None or not is_broker(broker) or not broker.is_active:
        raise RuleBroken({"broker": [_("Choose an active technology broker.")]})
    previous = locked.broker_id
    Inquiry.objects.filter(pk=locked.pk).update(broker=broker, updated_at=timezone.now())
    locked.broker = broker
    audit_log(
        action="inquiries.inquiry.broker_assigned",
        actor=by,
        target=locked,
        data={"broker": broker.pk, "previous": previous},
    )
    _tell(
        locked,
        org_ids=[locked.from_organization_id, locked.to_organization_id],
        title=_("%(name)s mediates the inquiry about %(item)s")
        % {"name": broker.get_full_name() or broker.username, "item": locked.subject_title},
    )
    return locked
