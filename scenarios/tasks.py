from celery import shared_task

from scenarios.services import scenarios_close_expired


@shared_task(name="scenarios.tasks.close_expired")
def close_expired() -> int:
    return scenarios_close_expired()
