"""Publication → Celery (real Redis, real worker) → matches in the database."""

import os
import time

import pytest

from demands.services import demand_approve
from matching.models import Match
from tests.factories import StaffFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL"),
]


def test_a_published_demand_is_matched_by_a_real_worker(worker, catalogue, heat_demand):
    demand_approve(demand=heat_demand, by=StaffFactory())  # enqueues after commit
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Match.objects.filter(demand=heat_demand).exists():
            break
        time.sleep(0.2)
    best = Match.objects.filter(demand=heat_demand).order_by("-score").first()
    assert best is not None, "the worker produced no match within 60 s"
    assert best.achievement == catalogue["film"]
