"""A full re-match survives its faults: a worker process killed in the middle of
a chunk, and Redis restarted (losing every queued message) during a run.

Each test runs the same re-match eagerly first, as the reference, then runs it
through a real worker on a private Redis while the fault happens, and checks
that the run completes with exactly the reference's matches, each once, and
every chunk counted once. The run's state lives in PostgreSQL (MatchRun,
MatchChunk), so nothing is lost with the broker.

To stop a chunk in its middle, the test holds an EXCLUSIVE lock on the match
table from its own connection: the worker claims the chunk, computes, and
waits to write its matches. docs/reliability.md records these runs.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from datetime import timedelta

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from demands.services import demand_approve
from matching import services
from matching.models import Match, MatchChunk, MatchRun
from portal.celery import app
from tests.conftest import _test_database_url, free_port, start_worker, stop_worker
from tests.factories import AchievementFactory, DemandFactory, StaffFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL"),
]


class PrivateRedis:
    """A redis-server of the test's own, without persistence: a restart loses everything."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("redis-server did not start")

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


@pytest.fixture
def redis(tmp_path):
    server = PrivateRedis(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.kill()


@contextlib.contextmanager
def celery_through(url: str, queue: str):
    """Send this process's tasks to `url`, on `queue`."""
    saved = app.conf.broker_url, app.conf.task_default_queue

    def reset():  # forget the pools made for the other broker (kombu keeps them per URL)
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url, app.conf.task_default_queue = url, queue
    app.conf.task_always_eager = False
    reset()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_default_queue = saved
        app.conf.task_always_eager = True
        reset()


@contextlib.contextmanager
def matches_locked():
    """Hold an EXCLUSIVE lock on the match table from a connection of our own."""
    conn = psycopg2.connect(_test_database_url())
    try:
        with conn.cursor() as cursor:
            cursor.execute("LOCK TABLE matching_match IN EXCLUSIVE MODE")
        yield
    finally:
        conn.rollback()
        conn.close()


def wait_for(condition, timeout=60, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def wait_until_done(run: MatchRun, when: str) -> None:
    wait_for(
        lambda: MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE,
        timeout=90,
        what=f"the run to finish {when}",
    )


def a_worker_waits_on_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def reference():
    """Published items on both sides, and the pairs an uninterrupted run makes."""
    staff = StaffFactory()
    for n in range(3):
        AchievementFactory(
            status="published",
            title=f"石墨烯高导热散热膜{n}",
            summary="用于手机芯片散热的超薄导热膜",
            tech_field="materials",
            industries=["materials"],
            keywords=["石墨烯", "散热"],
        )
        demand = DemandFactory(
            status="pending",
            title=f"手机散热材料需求{n}",
            description="需要高导热石墨烯膜解决芯片发热",
            tech_field="materials",
            industries=["materials"],
            keywords=["散热"],
        )
        demand_approve(demand=demand, by=staff)
    services.run_start()  # eager: the reference run
    pairs = sorted(Match.objects.values_list("demand_id", "achievement_id"))
    assert pairs, "the reference run made no match; the test would prove nothing"
    Match.objects.all().delete()
    MatchRun.objects.all().delete()
    return pairs


def assert_whole(run: MatchRun, reference):
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert run.done_chunks == run.total_chunks == run.chunks.count()
    assert not run.chunks.exclude(status=MatchChunk.Status.DONE).exists()
    pairs = sorted(Match.objects.values_list("demand_id", "achievement_id"))
    assert pairs == reference  # every pair, each once


def test_a_worker_killed_in_the_middle_of_a_chunk_and_the_run_still_completes(redis, reference):
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, pool="prefork", redis_url=redis.url)
    try:
        with celery_through(redis.url, queue):
            with matches_locked():
                run = services.run_start()
                wait_for(a_worker_waits_on_the_lock, what="a chunk waiting to write")
                chunk = run.chunks.get(status=MatchChunk.Status.RUNNING)
                # Kill the pool process running the chunk (the worker's only child).
                child = int(
                    open(f"/proc/{worker.pid}/task/{worker.pid}/children").read().split()[0]
                )
                os.kill(child, signal.SIGKILL)
            # acks_late + reject_on_worker_lost: the message goes back to the queue,
            # a new pool process takes it and claims the chunk again by its task id.
            wait_until_done(run, "after the kill")
    finally:
        stop_worker(worker)
    chunk.refresh_from_db()
    assert chunk.attempts == 2  # the killed attempt, then the redelivered one
    assert_whole(run, reference)


def test_redis_restarted_during_a_run_loses_the_messages_not_the_run(redis, reference):
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue, redis_url=redis.url)
    try:
        with celery_through(redis.url, queue):
            with matches_locked():
                run = services.run_start()
                wait_for(a_worker_waits_on_the_lock, what="a chunk waiting to write")
                redis.kill()  # every queued and unacknowledged message is gone
                redis.start()
            # The chunk in hand finishes; the others' messages were lost with Redis.
            wait_for(
                lambda: run.chunks.filter(status=MatchChunk.Status.DONE).exists(),
                what="the chunk in hand to finish",
            )
            time.sleep(2)
            run.refresh_from_db()
            assert run.status == MatchRun.Status.RUNNING
            assert run.done_chunks < run.total_chunks
            # The beat job, later: it finds the chunks whose messages were lost.
            assert services.runs_sweep(now=timezone.now() + timedelta(minutes=16)) >= 1
            wait_until_done(run, "after the sweep")
    finally:
        stop_worker(worker)
    assert_whole(run, reference)
