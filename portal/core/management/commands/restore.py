from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` over the database and the media "
        "directory, then compare every table's row count with the backup's manifest. "
        "Stop the portal and its workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the backup directory")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, source, yes=False, **options):
        if not (source / "manifest.json").exists():
            raise CommandError(f"{source} is not a backup (no manifest.json).")
        if not yes and input(f"Replace the database and files with {source}? [y/N] ") != "y":
            raise CommandError("Cancelled.")
        try:
            differences = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            for what, (expected, found) in differences.items():
                self.stderr.write(f"{what}: {expected} in the backup, {found} restored")
            raise CommandError("The restore does not match the backup's manifest.")
        self.stdout.write(f"Restored {source}: every table's row count matches the manifest.")
