"""Status changes: allowed transitions, checked in one place, written together
with their audit entry. Every status-bearing model declares
`TRANSITIONS = transitions(action=((sources, ...), target), ...)` and changes
status only through `apply_transition`.

Once a transition is committed, `status_changed` is sent (sender = the model),
so that other apps can follow (matching re-matches what enters or leaves
publication) without this module knowing them."""

from dataclasses import dataclass

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.audit import audit_log
from portal.core.errors import TransitionNotAllowed
from portal.core.locks import for_update

# Sent on commit: status_changed.send(sender=Model, item=..., previous=..., status=...).
status_changed = Signal()


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


def transitions(**actions: tuple[tuple[str, ...], str]) -> dict[str, Transition]:
    """`transitions(submit=(("draft", "rejected"), "pending"), ...)`."""
    return {name: Transition(frozenset(src), dst) for name, (src, dst) in actions.items()}


@transaction.atomic
def apply_transition(
    item: models.Model,
    action: str,
    *,
    by,
    reason: str = "",
    changes: dict | None = None,
    ip: str | None = None,
    audit_action: str | None = None,
    audit_data: dict | None = None,
) -> models.Model:
    """Move `item` by `action` if its current status allows it, and audit it.

    The row is locked first, so two concurrent actions on one item are
    serialised and the second sees the first's result (and gets a 409).
    """
    transition = type(item).TRANSITIONS[action]
    locked = for_update(type(item).objects).get(pk=item.pk)
    if locked.status not in transition.sources:
        raise TransitionNotAllowed(
            _("This action is not allowed while the status is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    previous = locked.status
    locked.status = transition.target
    fields = {"status"}
    for field, value in (changes or {}).items():
        setattr(locked, field, value)
        fields.add(field)
    if any(f.name == "updated_at" for f in locked._meta.concrete_fields):
        locked.updated_at = timezone.now()
        fields.add("updated_at")
    locked.save(update_fields=sorted(fields))
    audit_log(
        action=audit_action or f"{locked._meta.label_lower}.{transition.target}",
        actor=by,
        target=locked,
        from_status=previous,
        to_status=transition.target,
        reason=reason,
        ip=ip,
        data=audit_data,
    )
    item.__dict__.update({f: getattr(locked, f) for f in fields})
    transaction.on_commit(
        lambda: status_changed.send(
            sender=type(locked), item=locked, previous=previous, status=transition.target
        )
    )
    return locked
