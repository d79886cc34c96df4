"""The lifecycle rules shared by the libraries: create, edit, submit, review,
owner actions, index. Each library's services.py calls these with its model."""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from portal.core.attachments import attachments_add
from portal.core.audit import audit_log
from portal.core.errors import (
    ApplicationError,
    NotPermitted,
    RuleBroken,
    TransitionNotAllowed,
    error_text,
)
from portal.core.limits import NOTE_MAX
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.workflow import apply_transition
from portal.library.permissions import can_edit, can_review
from portal.library.search import search_vector
from portal.library.terms import terms_of


def require_owner(user, item) -> None:
    if not can_edit(user, item):
        raise NotPermitted(
            _("Only members of the owner organisation who may act for it can do this.")
        )


def require_reviewer(user, item) -> None:
    if not can_review(user, item):
        raise NotPermitted(_("Only staff of this item's market may review it."))


def item_reindex(item: models.Model) -> None:
    """Recompute the item's search vector (title and keywords A, summary B, body C)
    and the matcher's weighted terms."""
    texts = item.search_texts()
    item.match_terms = terms_of(texts)
    type(item).objects.filter(pk=item.pk).update(
        search_vector=search_vector(
            a=texts.get("a", ()), b=texts.get("b", ()), c=texts.get("c", ())
        ),
        match_terms=item.match_terms,
        updated_at=timezone.now(),  # the matcher's cached indexes key on it
    )


def _clean_and_save(item: models.Model) -> None:
    item.full_clean(exclude=["search_vector", "created_by"])
    item.save()
    item_reindex(item)


@transaction.atomic
def item_create(*, model: type[models.Model], by, data: dict, allowed_kinds) -> models.Model:
    """A draft owned by the creator's organisation; never one named in the input."""
    org = getattr(by, "organization", None)
    if org is None or org.kind not in allowed_kinds:
        raise NotPermitted(_("Your organisation may not publish in this library."))
    if not acts_for(by, org.pk):
        raise NotPermitted(_("Your role in the organisation lets you read, not write."))
    item = model(**data, organization=org, created_by=by, status=model.DRAFT)
    _clean_and_save(item)
    audit_log(
        action=f"{item._meta.label_lower}.created",
        actor=by,
        target=item,
        to_status=item.status,
        data={"title": item.title},
    )
    return item


@transaction.atomic
def item_update(*, item: models.Model, by, data: dict) -> models.Model:
    require_owner(by, item)
    locked = for_update(type(item).objects).get(pk=item.pk)
    if not locked.is_editable:
        raise TransitionNotAllowed(
            _("Only drafts and rejected items can be edited; this one is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    before = {field: _text(getattr(locked, field)) for field in data}
    for field, value in data.items():
        setattr(locked, field, value)
    _clean_and_save(locked)
    changed = {
        field: [before[field], _text(getattr(locked, field))]
        for field in data
        if before[field] != _text(getattr(locked, field))
    }
    if changed:
        audit_log(
            action=f"{locked._meta.label_lower}.updated",
            actor=by,
            target=locked,
            from_status=locked.status,
            to_status=locked.status,
            data={"changed": {k: [v[0][:300], v[1][:300]] for k, v in changed.items()}},
        )
    return locked


def _text(value) -> str:
    """A field's value as text for the audit trail (long texts are cut there)."""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


@transaction.atomic
def item_delete(*, item: models.Model, by) -> None:
    require_owner(by, item)
    locked = for_update(type(item).objects).get(pk=item.pk)
    if locked.status != locked.DRAFT:
        raise TransitionNotAllowed(_("Only drafts can be deleted; withdraw or close it instead."))
    audit_log(
        action=f"{locked._meta.label_lower}.deleted",
        actor=by,
        target=locked,
        from_status=locked.status,
        data={"title": locked.title},
    )
    locked.delete()  # attachments go with it (GenericRelation), and their files on commit


@transaction.atomic
def item_submit(*, item: models.Model, by, extra_checks=None) -> models.Model:
    require_owner(by, item)
    if not item.organization.can_publish:
        raise NotPermitted(
            _("Your organisation is not verified yet; it can keep drafts but cannot publish.")
        )
    if extra_checks:
        extra_checks(item)
    item.full_clean(exclude=["search_vector", "created_by"])
    return apply_transition(
        item, "submit", by=by, changes={"submitted_at": timezone.now(), "reject_reason": ""}
    )


@transaction.atomic
def item_approve(*, item: models.Model, by, comment: str = "") -> models.Model:
    """Publish it; the reviewer's optional comment is kept in the audit trail."""
    require_reviewer(by, item)
    item = apply_transition(
        item,
        "approve",
        by=by,
        reason=(comment or "").strip()[:NOTE_MAX],
        changes={"published_at": timezone.now()},
    )
    _tell_owner(
        item,
        kind="approved",
        title=_("Published: %(title)s") % {"title": item.title},
        body=_("Staff approved “%(title)s”; it is now public.") % {"title": item.title},
    )
    return item


def items_approve(*, model: type[models.Model], ids, by, comment: str = "") -> tuple[int, list]:
    """Bulk approval from the review queue: each item through item_approve, in
    its own transaction; (approved, [(item or id, why not), ...])."""
    approved, refused = 0, []
    for pk in ids:
        item = model.objects.filter(pk=pk).first()
        if item is None:
            refused.append((pk, _("Not found.")))
            continue
        try:
            with transaction.atomic():
                item_approve(item=item, by=by, comment=comment)
            approved += 1
        except (ApplicationError, ValidationError) as exc:
            refused.append((item, error_text(exc)))
    return approved, refused


@transaction.atomic
def item_reject(*, item: models.Model, by, reason: str) -> models.Model:
    require_reviewer(by, item)
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Say why it is rejected, so the owner can fix it.")]})
    item = apply_transition(item, "reject", by=by, reason=reason, changes={"reject_reason": reason})
    _tell_owner(
        item,
        kind="rejected",
        title=_("Returned for changes: %(title)s") % {"title": item.title},
        body=_("Staff returned “%(title)s”: %(reason)s. Edit it and submit it again.")
        % {"title": item.title, "reason": reason},
    )
    return item


@transaction.atomic
def item_owner_action(*, item: models.Model, by, action: str, reason: str = "") -> models.Model:
    """withdraw / close: the owner takes a published item off the market."""
    require_owner(by, item)
    return apply_transition(item, action, by=by, reason=reason)


def item_attach(*, item: models.Model, by, files) -> list:
    """Attach files to a draft or rejected item (published content was reviewed as it is)."""
    require_owner(by, item)
    if not item.is_editable:
        raise TransitionNotAllowed(
            _("Files can be added to drafts and rejected items only; this one is “%(status)s”.")
            % {"status": item.get_status_display()}
        )
    return attachments_add(target=item, files=files, by=by)


def _tell_owner(item, *, kind: str, title: str, body: str) -> None:
    notify(
        users=[item.created_by],
        kind=f"{item._meta.label_lower}.{kind}",
        title=title,
        body=body,
        url=item.get_absolute_url(),
    )


@dataclass(frozen=True)
class ItemServices:
    """How the pages and the API call one library's services: the same functions,
    each taking the item as `<noun>=` (`achievement_submit(achievement=…, by=…)`).

        SERVICES = ItemServices(
            noun="achievement", create=achievement_create, update=achievement_update,
            actions={"submit": achievement_submit, "delete": achievement_delete, ...},
        )
    """

    noun: str
    create: Callable  # (*, by, data) → item
    update: Callable  # (*, <noun>, by, data) → item
    actions: dict[str, Callable] = dataclass_field(
        default_factory=dict
    )  # (*, <noun>, by[, reason])

    def change(self, item, *, by, data):
        return self.update(**{self.noun: item}, by=by, data=data)

    def act(self, name: str, item, *, by, **kwargs):
        """Run the named action on the item; KeyError for an action it has not."""
        return self.actions[name](**{self.noun: item}, by=by, **kwargs)
