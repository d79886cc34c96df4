from celery import shared_task

from demands.services import demands_expire as expire


@shared_task(name="demands.tasks.demands_expire")
def demands_expire() -> int:
    return expire()
