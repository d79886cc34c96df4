from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """submitted_at from the audit trail's last submission; contracts waiting
    with none recorded take their last change."""
    Contract = apps.get_model("contracts", "Contract")
    AuditEntry = apps.get_model("portal", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="contracts", model="contract").first()
    if ct is not None:
        last = (
            AuditEntry.objects.filter(
                content_type=ct,
                object_id=models.functions.Cast(OuterRef("pk"), models.CharField()),
                action="contracts.contract.submitted",
            )
            .order_by("-at")
            .values("at")[:1]
        )
        Contract.objects.update(submitted_at=Subquery(last))
    Contract.objects.filter(status="submitted", submitted_at__isnull=True).update(
        submitted_at=models.F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0006_recognition"),
        ("portal", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="submitted at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
