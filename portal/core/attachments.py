"""Attaching files to items: all or nothing, within the per-item limit."""

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _

from portal.core.audit import audit_log
from portal.core.errors import RuleBroken
from portal.core.files import ALL_TYPES, check_upload
from portal.core.locks import for_update
from portal.core.models import Attachment

MAX_PER_ITEM = 10


def attachments_of(target: models.Model):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )


def attachments_add(
    *,
    target: models.Model,
    files: Sequence[UploadedFile],
    by,
    allowed: frozenset[str] = ALL_TYPES,
    max_count: int = MAX_PER_ITEM,
    field: str = "file",
) -> list[Attachment]:
    """Check every file first; store them only if all pass and the limit holds."""
    if not files:
        raise RuleBroken({field: [_("Choose at least one file.")]})
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(check_upload(upload, allowed=allowed))
        except RuleBroken as exc:
            errors.extend(exc.messages)
    if errors:
        raise RuleBroken({field: errors})
    saved: list[Attachment] = []
    with transaction.atomic():
        # Lock the item so that two uploads at once cannot pass the limit together.
        for_update(type(target).objects).filter(pk=target.pk).exists()
        existing = attachments_of(target).count()
        if existing + len(checked) > max_count:
            raise RuleBroken(
                {
                    field: [
                        _("At most %(max)d files per item; it has %(n)d already.")
                        % {"max": max_count, "n": existing}
                    ]
                }
            )
        content_type = ContentType.objects.get_for_model(target)
        try:
            for item in checked:
                attachment = Attachment(
                    content_type=content_type,
                    object_id=target.pk,
                    name=item.name,
                    mime_type=item.mime_type,
                    size=item.size,
                    uploaded_by=by,
                )
                attachment.file.save(f"upload.{item.ext}", item.upload, save=False)
                attachment.save()
                saved.append(attachment)
        except Exception:
            for attachment in saved:
                attachment.file.delete(save=False)
            raise
        audit_log(
            action=f"{target._meta.label_lower}.attachments_added",
            actor=by,
            target=target,
            data={"files": [a.name for a in saved]},
        )
    return saved


@receiver(post_delete, sender=Attachment)
def _delete_file(sender, instance: Attachment, **kwargs):
    """No orphan files: the stored file goes once the row's deletion is committed."""
    storage, name = instance.file.storage, instance.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
