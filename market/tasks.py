"""Celery adapters of market.services.sweep: the beat jobs."""

from celery import shared_task

import market.services.bids as bids
import market.services.sweep as sweep


@shared_task(name="market.tasks.close_due_lots")
def close_due_lots() -> int:
    return sweep.close_due_lots()


@shared_task(name="market.tasks.tell_bidders")
def tell_bidders(lot_id: int, bid_id: int, previous_leader, leader, extended: bool) -> None:
    """After a bid commits, away from the bidder's request: outbid, extended."""
    bids.bidders_told(
        lot_id=lot_id,
        bid_id=bid_id,
        previous_leader=previous_leader,
        leader=leader,
        extended=extended,
    )


@shared_task(name="market.tasks.daily")
def daily() -> dict:
    return sweep.daily()
