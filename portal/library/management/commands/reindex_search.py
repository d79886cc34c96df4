from django.core.management.base import BaseCommand

from portal.core import registry


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every registered library (after changing a dictionary); "
        "--library NAME for one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--library", action="append", help="only this library (repeatable)")

    def handle(self, *args, library=None, **options):
        chosen = [lib for lib in registry.libraries() if lib.index is not None]
        if library:
            chosen = [lib for lib in chosen if lib.name in library]
        for lib in chosen:
            total = lib.model.objects.count()
            done = 0
            for item in lib.model.objects.order_by("pk").iterator(chunk_size=1000):
                lib.index(item)
                done += 1
                if done % 1000 == 0:
                    self.stdout.write(f"{lib.name}: {done}/{total}")
            self.stdout.write(f"{lib.model._meta.label}: {done} reindexed")
