"""PostgreSQL restarts under load: gunicorn (2 workers, production settings)
serves reads and subsidy approvals from 4 client threads while its database,
a private PostgreSQL, restarts.

Requests may fail only while the server is down, and then with a 503 (nothing
saved, retry), never a 500; every request afterwards succeeds; none takes
longer than 10 s; and the subsidy ledger still equals what the approved
applications were granted. docs/reliability.md records the figures.
"""

import contextlib
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest

from portal.core.backup import _connection_args, pg_tool
from tests.conftest import free_port
from tests.factories import StaffFactory, api_token, city_reviewed_applications

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
APPLICATIONS = 40
LOAD_SECONDS = 12
RESTART_AT = 4
GRACE = 2.0  # seconds after the server is back within which a request may still fail


def _pg():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
        from pgserver import _commands
    return pgserver, _commands


def postgres_running(data: Path) -> bool:
    """Whether a postmaster runs on this data directory (its pid file names a
    live process)."""
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, 0)
    except (FileNotFoundError, IndexError, ValueError, ProcessLookupError):
        return False
    return True


@contextlib.contextmanager
def private_postgres(tmp_path):
    """A PostgreSQL of the test's own (the embedded server's binaries), holding a
    copy of the test database, and a function that restarts it. It is stopped
    when the block ends, however it ends: a restarted server is one pgserver no
    longer tracks, so it is stopped by pg_ctl itself."""
    pgserver, _commands = _pg()
    data = tmp_path / "pg"
    server = pgserver.get_server(data, cleanup_mode="stop")
    try:
        server.psql("CREATE DATABASE portal;")
        url = server.get_uri("portal")
        dump = tmp_path / "copy.dump"
        from django.db import connection

        args, env = _connection_args(connection.settings_dict)
        subprocess.run(
            [pg_tool("pg_dump"), *args, "-Fc", "-f", str(dump), connection.settings_dict["NAME"]],
            env=env,
            check=True,
            capture_output=True,
        )
        dump.chmod(0o644)
        subprocess.run(
            [str(_commands.POSTGRES_BIN_PATH / "pg_restore"), "--no-owner", "-d", url, str(dump)],
            check=True,
            capture_output=True,
        )

        def restart():
            _commands.pg_ctl(["-w", "-m", "fast", "restart"], pgdata=data, user=server.system_user)

        yield url, restart, data
    finally:
        with contextlib.suppress(Exception):
            server.cleanup()
        if postgres_running(data):
            _commands.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data, user=server.system_user)


@pytest.fixture
def private_database(tmp_path):
    with private_postgres(tmp_path) as (url, restart, _data):
        yield url, restart


@pytest.fixture
def gunicorn(private_database, tmp_path):
    url, restart = private_database
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "database-restart-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        # The staff account of this test signs in with a token alone: the
        # compulsory two-step sign-in of production is not what it is about.
        "TWO_FACTOR_REQUIRED": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    env.pop("REDIS_URL", None)  # jobs run in-process: this test is about the database
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", "2"),
            *("--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        # A file, not a pipe nobody reads: a full pipe would block the workers' logging.
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers (503: no Redis configured is fine here)
            except OSError:
                time.sleep(0.2)
        yield base, url, restart
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def call(base: str, path: str, token: str, method: str = "GET") -> tuple:
    started = time.monotonic()
    request = urllib.request.Request(
        base + path,
        method=method,
        data=b"{}" if method == "POST" else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            outcome = response.status
    except urllib.error.HTTPError as exc:
        outcome = exc.code
    except OSError as exc:
        outcome = type(exc).__name__
    return outcome, started, time.monotonic(), path


def test_requests_fail_only_while_postgresql_restarts_and_the_ledger_adds_up(request):
    # 40 applications of 20,000 yuan of subsidy each: 800,000, within the cap.
    _program, _buyer, waiting = city_reviewed_applications(APPLICATIONS, "200000.00")
    applications = [a.pk for a in waiting]
    token = api_token(StaffFactory())
    base, url, restart = request.getfixturevalue("gunicorn")

    todo = list(applications)
    lock = threading.Lock()
    results = []
    stop_at = time.monotonic() + LOAD_SECONDS

    def client(n: int):
        while time.monotonic() < stop_at:
            with lock:
                pk = todo.pop() if todo and n % 2 == 0 else None
            if pk is None:
                outcome = call(base, "/api/v1/achievements/", token)
            else:
                outcome = call(base, f"/api/v1/subsidies/{pk}/approve/", token, "POST")
                if outcome[0] != 200:
                    with lock:
                        todo.insert(0, pk)  # the client retries it later
            with lock:
                results.append(outcome)
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(RESTART_AT)
    down = time.monotonic()
    restart()
    up = time.monotonic()
    for t in threads:
        t.join(LOAD_SECONDS + 30)

    failures = [r for r in results if not (isinstance(r[0], int) and r[0] < 500)]
    after = [r for r in results if r[1] > up + GRACE]
    print(
        f"{len(results)} requests, restart {up - down:.2f} s, {len(failures)} failed "
        f"({sorted({str(r[0]) for r in failures})}), {len(after)} after the restart, "
        f"slowest {max(r[2] - r[1] for r in results):.2f} s"
    )
    assert failures, "no request met the restart: the test would prove nothing"
    assert all(r[2] - r[1] < 10 for r in results), "a request hung past 10 s"
    for outcome, started, ended, _path in failures:
        assert ended >= down and started <= up + GRACE, "a failure outside the restart"
        assert outcome == 503, f"a failure other than 503: {outcome}"
    assert len(after) >= 10 and all(r[0] == 200 for r in after)

    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT l.granted_total, l.cap, coalesce(sum(a.granted_amount), 0), count(a.id) "
            "FROM contracts_subsidyledger l LEFT JOIN contracts_subsidyapplication a "
            "ON a.program_id = l.program_id AND a.organization_id = l.organization_id "
            "AND a.status = 'approved' GROUP BY l.id"
        )
        [(granted_total, cap, granted, approved)] = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM contracts_subsidyapplication "
            "WHERE (status = 'approved') <> (granted_amount IS NOT NULL)"
        )
        inconsistent = cursor.fetchone()[0]
    assert granted_total == granted <= cap
    assert granted_total == Decimal("20000.00") * approved
    assert approved >= 1 and inconsistent == 0


def test_the_private_server_is_stopped_even_when_the_test_fails(tmp_path):
    """A test that fails while its restarted server runs leaves no server behind."""
    data = tmp_path / "pg"
    with contextlib.suppress(RuntimeError), private_postgres(tmp_path) as (_url, restart, _data):
        restart()  # now a server pgserver no longer tracks
        assert postgres_running(data)
        raise RuntimeError("the test failed here")
    assert data is not None and not postgres_running(data)
