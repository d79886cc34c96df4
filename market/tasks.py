"""Celery adapters of market.services.sweep: the beat jobs."""

from celery import shared_task

import market.services.sweep as sweep


@shared_task(name="market.tasks.close_due_lots")
def close_due_lots() -> int:
    return sweep.close_due_lots()


@shared_task(name="market.tasks.daily")
def daily() -> dict:
    return sweep.daily()
