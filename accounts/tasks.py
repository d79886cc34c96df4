from celery import shared_task

from accounts.services import organizations_reassign_markets as reassign


@shared_task(name="accounts.tasks.organizations_reassign_markets")
def organizations_reassign_markets() -> int:
    return reassign()
