from celery import shared_task


@shared_task(name="brokers.tasks.certificates_expire")
def certificates_expire() -> int:
    """Expire certificates past their validity (and brokers left without one)."""
    from brokers.services import certificates_expire as expire

    return expire()
