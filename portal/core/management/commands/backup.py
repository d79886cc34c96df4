from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump) and the uploaded files, with a row-count manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="directory to create (default: BACKUP_DIR/portal-YYYYmmdd-HHMMSS)",
        )

    def handle(self, *args, output=None, **options):
        output = output or Path(settings.BACKUP_DIR) / f"portal-{datetime.now():%Y%m%d-%H%M%S}"
        try:
            manifest = backup(output)
        except (BackupError, FileExistsError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"{output}: {len(manifest['rows'])} tables, {rows:,} rows, "
            f"{manifest['media_files']} files"
        )
