from django.core.management.base import BaseCommand

from achievements.models import Achievement
from demands.models import Demand
from portal.library.services import item_reindex


class Command(BaseCommand):
    help = "Rebuild the search index of the libraries (after changing a dictionary)."

    def handle(self, *args, **options):
        for model in (Achievement, Demand):
            count = 0
            for item in model.objects.iterator(chunk_size=1000):
                item_reindex(item)
                count += 1
            self.stdout.write(f"{model._meta.label}: {count} reindexed")
