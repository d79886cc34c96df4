"""A real Celery worker, against the real Redis, sees and changes the database.

Needs REDIS_URL (CI sets it); without it tasks run eagerly and this is skipped.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import Market
from accounts.tasks import organizations_reassign_markets
from portal.celery import app
from tests.factories import OrganizationFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL"),
]


def _test_database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or ""
    if host.startswith("/"):  # a unix socket (the embedded server)
        return f"postgresql://{s['USER']}:{s['PASSWORD'] or ''}@/{s['NAME']}?host={host}"
    return f"postgresql://{s['USER']}:{s['PASSWORD'] or ''}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker():
    """Start a worker on a queue of its own, so that no other worker steals the task."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        if proc.returncode not in (0, -15):
            print(output)


def test_a_real_worker_runs_a_task_whose_effect_is_in_the_database(worker):
    org = OrganizationFactory(region_code="420802")  # Jingmen: the central market for now
    Market.objects.create(code="jingmen", name="荆门分市场", level="sub", area_code="420800")

    result = organizations_reassign_markets.apply_async(queue=worker)

    assert result.get(timeout=60) == 1
    org.refresh_from_db()
    assert org.market.code == "jingmen"
