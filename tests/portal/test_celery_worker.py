"""A real Celery worker, against the real Redis, sees and changes the database.

Needs REDIS_URL (CI sets it); without it tasks run eagerly and this is skipped.
"""

import os

import pytest

from accounts.models import Market
from accounts.tasks import organizations_reassign_markets
from tests.factories import OrganizationFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL"),
]


def test_a_real_worker_runs_a_task_whose_effect_is_in_the_database(worker):
    org = OrganizationFactory(region_code="420802")  # Jingmen: the central market for now
    Market.objects.create(code="jingmen", name="荆门分市场", level="sub", area_code="420800")

    result = organizations_reassign_markets.delay()

    assert result.get(timeout=60) == 1
    org.refresh_from_db()
    assert org.market.code == "jingmen"
