from celery import shared_task


@shared_task(name="events.tasks.archive_due")
def archive_due() -> int:
    """Archive events whose 30 days of outcome reporting are over."""
    from events.services import events_archive_due

    return events_archive_due()


@shared_task(name="events.tasks.send_reminders")
def send_reminders() -> int:
    """Remind the registered the day before their event."""
    from events.services import reminders_send

    return reminders_send()
