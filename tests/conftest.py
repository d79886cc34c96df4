import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery._state import _set_task_join_will_block
from django.db import connection

from portal.celery import app

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Tasks run in-process in tests, even when CI sets REDIS_URL.

    The worker test (tests/portal/test_celery_worker.py) turns this off for itself.
    """
    from portal.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every test's uploads land in its own temporary folder, never in media/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(scope="session", autouse=True)
def _search_indexes(django_db_setup, django_db_blocker):
    """Each library's search-engine index, empty like the new test database."""
    import shutil

    from django.conf import settings

    from portal.library import engine

    with django_db_blocker.unblock():
        for model in engine.models_indexed():
            engine.rebuild(model)
    yield
    shutil.rmtree(settings.SEARCH_INDEX_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the database when they end, data migrations'
    rows (the markets) included; put them back for the next one."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    import importlib

    from django.apps import apps

    importlib.import_module("accounts.migrations.0002_markets").create_markets(apps, None)


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def markets(db):
    from accounts.models import Market

    return {m.code: m for m in Market.objects.all()}


def _test_database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or ""
    if host.startswith("/"):  # a unix socket (the embedded server)
        return f"postgresql://{s['USER']}:{s['PASSWORD'] or ''}@/{s['NAME']}?host={host}"
    return f"postgresql://{s['USER']}:{s['PASSWORD'] or ''}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    """A TCP port nothing listens on now, for a server a test starts."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_worker(queue: str, *, pool: str = "solo", redis_url: str | None = None):
    """A Celery worker process on its own queue, against the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "DJANGO_SETTINGS_MODULE": "portal.settings_test",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(proc) -> None:
    proc.terminate()
    try:
        output, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    if proc.returncode not in (0, -15):
        print(output)


@pytest.fixture
def worker():
    """Start a worker on a queue of its own, so that no other worker steals the task."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    proc = start_worker(queue)
    # Eager tasks set a process-wide "inside a task" flag and put back what they
    # found; eager tasks in concurrent threads (the race tests) can leave it set,
    # and result.get() then refuses to wait. This process is not a worker.
    _set_task_join_will_block(False)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue  # every task the test sends goes to this worker
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        app.conf.task_default_queue = "celery"
        stop_worker(proc)
