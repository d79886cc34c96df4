from celery import shared_task


@shared_task(name="challenges.tasks.sweep")
def sweep() -> dict[str, int]:
    """Close the application windows that ended; terminate a failed acceptance
    not re-tested within three months."""
    from challenges.services import challenges_sweep

    return challenges_sweep()
