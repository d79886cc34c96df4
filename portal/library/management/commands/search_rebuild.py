import time

from django.core.management.base import BaseCommand

from portal.core import registry
from portal.library import engine


class Command(BaseCommand):
    help = (
        "Rebuild the search engine's index of every library it serves from PostgreSQL, "
        "into a new generation switched to when complete; --library NAME for one. "
        "Each batch is committed: stopped and started again, it resumes where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--library", action="append", help="only this library (repeatable)")
        parser.add_argument("--batch", type=int, default=engine.BATCH, help="rows per commit")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="only the libraries that have no index yet (a container's start)",
        )

    def handle(self, *args, library=None, batch, if_missing=False, **options):
        models = engine.models_indexed()
        if library:
            models = [m for m in models if registry.library_of(m).name in library]
        if if_missing:
            models = [m for m in models if not engine.ready(m)]
        for model in models:
            started = time.monotonic()
            label = registry.library_of(model).name

            def progress(done: int, total: int, label=label, started=started) -> None:
                width = 30
                filled = int(width * done / total) if total else width
                rate = done / max(time.monotonic() - started, 1e-6)
                self.stdout.write(
                    f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}  "
                    f"{rate:.0f}/s",
                    ending="",
                )
                self.stdout.flush()

            done = engine.rebuild(model, batch=batch, progress=progress)
            self.stdout.write("")
            self.stdout.write(
                self.style.SUCCESS(
                    f"{label}: {done} items indexed in {time.monotonic() - started:.1f} s"
                )
            )
