from celery import shared_task


@shared_task(name="conversions.tasks.expire")
def expire() -> int:
    """Conversion project recognitions past their three years expire."""
    from conversions.services import projects_expire

    return projects_expire()
