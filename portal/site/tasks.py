"""The site's periodic jobs: the monitoring snapshot and the saved-search digests."""

from celery import shared_task
from django.utils import timezone


@shared_task(name="portal.site.tasks.stats_refresh")
def stats_refresh() -> int:
    """Keep this year's (and last year's) monitoring snapshot at most an hour old."""
    from portal.site import stats

    year = timezone.localdate().year
    for y in (year, year - 1):
        stats.refresh(y)
    return year


@shared_task(name="portal.site.tasks.send_subscription_digests")
def send_subscription_digests() -> int:
    from portal.site.subscriptions import digests_send

    return digests_send()


@shared_task(name="portal.site.tasks.search_terms_rebuild")
def search_terms_rebuild() -> int:
    """The vocabulary of 搜索联想 and "did you mean" from the published items."""
    from portal.library.suggest import terms_rebuild

    return terms_rebuild()
