from celery import shared_task


@shared_task(name="platforms.tasks.expire")
def expire() -> int:
    """Recognitions past their validity expire."""
    from platforms.services import platforms_expire

    return platforms_expire()
