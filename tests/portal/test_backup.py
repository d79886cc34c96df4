"""make backup / make restore: a round trip through pg_dump and pg_restore that
compares every table's row count and the uploaded files."""

import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction

from accounts.models import Organization
from demands.models import Demand
from portal.core.attachments import attachments_add
from portal.core.audit import audit_log
from portal.core.backup import row_counts
from portal.core.models import AuditEntry
from tests.factories import AchievementFactory, DemandFactory, OrganizationFactory, member_of
from tests.files import PDF, PNG, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_then_restore_brings_back_every_row_and_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    item = AchievementFactory()
    owner = member_of(item.organization)
    attachments_add(target=item, files=[upload("a.pdf", PDF), upload("b.png", PNG)], by=owner)
    demand = DemandFactory()
    audit_log(action="probe", actor=owner, target=item)
    before = row_counts()

    call_command("backup", output=tmp_path / "b1")
    manifest = json.loads((tmp_path / "b1" / "manifest.json").read_text())
    assert manifest["rows"] == before
    assert manifest["media_files"] == 2
    assert manifest["rows"]["demands_demand"] == 1

    # Things go wrong after the backup: a row deleted, one added, a file lost.
    Demand.objects.filter(pk=demand.pk).delete()
    OrganizationFactory(name="备份之后新增")
    next(p for p in settings.MEDIA_ROOT.rglob("*.png")).unlink()
    assert row_counts() != before

    call_command("restore", tmp_path / "b1", yes=True)
    assert row_counts() == before
    assert Demand.objects.filter(pk=demand.pk).exists()
    assert not Organization.objects.filter(name="备份之后新增").exists()
    files = sorted(p.read_bytes() for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert files == sorted([PDF, PNG])
    # The append-only guard of the audit trail came back with the schema.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(action="probe").update(action="tampered")


def test_restore_reports_a_backup_that_does_not_add_up(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    OrganizationFactory()
    call_command("backup", output=tmp_path / "b2")
    manifest_path = tmp_path / "b2" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["rows"]["accounts_organization"] += 1  # the manifest claims a row the dump lacks
    manifest_path.write_text(json.dumps(manifest))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", tmp_path / "b2", yes=True)
