from celery import shared_task

from achievements import imports


@shared_task(name="achievements.tasks.import_run", acks_late=True)
def import_run(job_id: int) -> str:
    """Run one Excel import (idempotent: a job is claimed once)."""
    return imports.import_run(job_id=job_id)
