"""Every write to publicities and objections.

Another app opens a publicity for its subject (`publicity_open`), revises it
(a new version that restarts the count), extends, suspends, resumes or ends
it, and asks `blocking()` before the step that depends on it. The subject's app
registers it (publicity.selectors.register_subject): who hears of an
objection, who decides it, what follows the decision.
"""

import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.limits import NOTE_MAX
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workdays import add_workdays
from portal.core.workflow import apply_transition
from publicity.models import Objection, Publicity
from publicity.periods import content_hash, period_end
from publicity.permissions import can_decide, real_name_of
from publicity.selectors import current
from publicity.subjects import subject_of


def _canonical(content: dict) -> dict:
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


@transaction.atomic
def publicity_open(
    *,
    subject,
    kind: str,
    title: str,
    content: dict,
    period_value: int,
    period_unit: str,
    by=None,
    min_calendar_days: int = 0,
    today: datetime.date | None = None,
) -> Publicity:
    """Publish a version now; the version before it (if live) is superseded."""
    today = today or timezone.localdate()
    if period_value < 0:
        raise RuleBroken({"period_value": [_("A period cannot be negative.")]})
    subject_type = ContentType.objects.get_for_model(type(subject))
    previous = current(subject, kind)
    if previous is not None:
        apply_transition(previous, "supersede", by=by)
    version = (
        Publicity.objects.filter(
            subject_type=subject_type, subject_id=subject.pk, kind=kind
        ).aggregate(n=Max("version"))["n"]
        or 0
    ) + 1
    content = _canonical(content)
    publicity = Publicity.objects.create(
        subject_type=subject_type,
        subject_id=subject.pk,
        kind=kind,
        version=version,
        title=title[:200],
        content=content,
        content_sha256=content_hash(content),
        period_value=period_value,
        period_unit=period_unit,
        starts_on=today,
        ends_on=period_end(today, period_value, period_unit, min_calendar_days=min_calendar_days),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit_log(
        action="publicity.publicity.published",
        actor=by,
        target=publicity,
        to_status=publicity.status,
        data={
            "kind": kind,
            "version": version,
            "sha256": publicity.content_sha256,
            "starts_on": str(publicity.starts_on),
            "ends_on": str(publicity.ends_on),
            "subject": f"{subject_type.app_label}.{subject_type.model}:{subject.pk}",
        },
    )
    return publicity


@transaction.atomic
def publicity_extend(*, publicity: Publicity, workdays: int, by=None) -> Publicity:
    """Move the end of a running working-day period by `workdays` (an extension)."""
    locked = for_update(Publicity.objects).get(pk=publicity.pk)
    if locked.status != Publicity.Status.RUNNING:
        raise TransitionNotAllowed(_("Only a running publicity can be extended."))
    before = locked.ends_on
    start = max(before, timezone.localdate())
    locked.ends_on = add_workdays(start, workdays)
    locked.period_value += workdays
    locked.save(update_fields=["ends_on", "period_value", "updated_at"])
    audit_log(
        action="publicity.publicity.extended",
        actor=by,
        target=locked,
        data={"from": str(before), "to": str(locked.ends_on), "workdays": workdays},
    )
    return locked


def publicity_suspend(*, publicity: Publicity, by, reason: str) -> Publicity:
    return apply_transition(publicity, "suspend", by=by, reason=reason)


@transaction.atomic
def publicity_resume(*, publicity: Publicity, by, workdays: int) -> Publicity:
    """Resume a suspended publicity for `workdays` more working days from today."""
    resumed = apply_transition(
        publicity,
        "resume",
        by=by,
        changes={"ends_on": add_workdays(timezone.localdate(), workdays)},
        audit_data={"workdays": workdays},
    )
    return resumed


def publicity_terminate(*, publicity: Publicity, by, reason: str = "") -> Publicity:
    return apply_transition(publicity, "terminate", by=by, reason=reason)


@transaction.atomic
def objection_submit(
    *, publicity: Publicity, by, facts: str, contact: str, real_name: str = ""
) -> Objection:
    """A written, real-name objection, accepted only inside the period."""
    if not getattr(by, "is_authenticated", False):
        raise NotPermitted(_("Sign in to object: objections are real-name."))
    locked = for_update(Publicity.objects).get(pk=publicity.pk)
    errors: dict[str, list[str]] = {}
    name = " ".join((real_name or real_name_of(by)).split())
    if not name:
        errors["real_name"] = [_("Give your real name: anonymous objections are not accepted.")]
    facts = (facts or "").strip()
    if not facts:
        errors["facts"] = [_("Write the facts and reasons of the objection.")]
    elif len(facts) > NOTE_MAX:
        errors["facts"] = [_("At most %(n)d characters.") % {"n": NOTE_MAX}]
    contact = " ".join((contact or "").split())
    if not contact:
        errors["contact"] = [_("Give a telephone number or an address to reply to.")]
    if errors:
        raise RuleBroken(errors)
    if not locked.takes_objections():
        raise TransitionNotAllowed(
            _("Objections are accepted from %(start)s to %(end)s only.")
            % {"start": locked.starts_on, "end": locked.ends_on}
        )
    objection = Objection.objects.create(
        publicity=locked,
        objector=by,
        real_name=name[:100],
        organization=getattr(by, "organization", None),
        contact=contact[:100],
        facts=facts,
    )
    audit_log(
        action="publicity.objection.received",
        actor=by,
        target=objection,
        to_status=objection.status,
        data={"publicity": locked.pk},
    )
    subject = subject_of(locked)
    item = locked.subject
    notify(
        users=list(subject.watchers(item)) if subject else [],
        kind="publicity.objection.received",
        title=_("Objection received: %(title)s") % {"title": locked.title},
        body=facts[:300],
        url=getattr(item, "get_absolute_url", lambda: "")(),
    )
    return objection


@transaction.atomic
def objection_decide(*, objection: Objection, by, upheld: bool, reply: str) -> Objection:
    if not can_decide(by, objection.publicity):
        raise NotPermitted(_("Only staff in charge of the subject decide its objections."))
    reply = (reply or "").strip()
    if not reply:
        raise RuleBroken({"reply": [_("Write the reply the objector receives.")]})
    decided = apply_transition(
        objection,
        "uphold" if upheld else "dismiss",
        by=by,
        reason=reply,
        changes={"reply": reply[:NOTE_MAX], "decided_by": by},
    )
    notify(
        users=[decided.objector],
        kind=f"publicity.objection.{decided.status}",
        title=_("Your objection to %(title)s: %(status)s")
        % {"title": decided.publicity.title, "status": decided.get_status_display()},
        body=reply,
    )
    subject = subject_of(decided.publicity)
    if subject is not None and subject.decided is not None:
        subject.decided(decided, by=by)
    return decided
