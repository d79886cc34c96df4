import time

from django.core.management.base import BaseCommand

from matching.embedding import get_embedder
from matching.services.vectors import embed_backfill


class Command(BaseCommand):
    help = (
        "Embed every published demand and achievement that has no current embedding. "
        "Each batch is committed: stopped and started again, it resumes where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=32, help="items per model call")

    def handle(self, *args, batch, **options):
        started = time.monotonic()
        self.stdout.write(f"Embedder: {get_embedder().name}")

        def progress(seen: int, total: int) -> None:
            width = 30
            filled = int(width * seen / total) if total else width
            rate = seen / max(time.monotonic() - started, 1e-6)
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {seen}/{total}  {rate:.1f}/s",
                ending="",
            )
            self.stdout.flush()

        done = embed_backfill(batch=batch, progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Embedded {done} items."))
