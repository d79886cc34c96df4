"""Lists and search on a read replica (issue 18, point 5), with a second
database on the same server standing in for the replica: a copy of the test
database whose rows then differ, so one can tell which database answered."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.db import connection, connections

from tests.factories import AchievementFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from django.test import Client
c = Client(HTTP_HOST="localhost")
pk = {pk}
print(json.dumps({{
    "api": [r["title"] for r in c.get("/api/v1/achievements/").json()["results"]],
    "search": "从库的" in c.get("/search/", {{"q": "成果"}}).content.decode(),
    "page": "从库的成果" in c.get("/achievements/").content.decode(),
    "detail": c.get(f"/api/v1/achievements/{{pk}}/").json()["title"],
}}))
"""


def _url(settings: dict, name: str) -> str:
    host = settings.get("HOST") or "127.0.0.1"
    return f"postgres://{settings['USER']}@{host}:{settings.get('PORT') or 5432}/{name}"


def _admin(settings: dict):
    conn = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        host=settings.get("HOST") or "127.0.0.1",
        port=settings.get("PORT") or 5432,
        password=settings.get("PASSWORD") or None,
    )
    conn.autocommit = True
    return conn


def test_lists_and_search_read_the_replica_and_the_rest_the_primary():
    item = AchievementFactory(status="published", title="主库的成果", keywords=["成果"])
    settings = connection.settings_dict
    primary, replica = settings["NAME"], f"{settings['NAME']}_replica"
    connections.close_all()  # a template database takes no other session
    admin = _admin(settings)
    try:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{replica}"')
            # Sessions that earlier tests' threads left open would block the copy.
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [primary],
            )
            cur.execute(f'CREATE DATABASE "{replica}" TEMPLATE "{primary}"')
        with psycopg2.connect(_url(settings, replica)) as copy, copy.cursor() as cur:
            cur.execute(
                "UPDATE achievements_achievement SET title = '从库的成果' WHERE id = %s", [item.pk]
            )
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": _url(settings, primary),
            "DATABASE_REPLICA_URL": _url(settings, replica),
        }
        env.pop("REDIS_URL", None)
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", PROBE.format(pk=item.pk)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        seen = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{replica}" WITH (FORCE)')
        admin.close()
    assert seen["api"] == ["从库的成果"]  # the API list: the replica
    assert seen["page"] and seen["search"]  # the list page, the search across libraries
    assert seen["detail"] == "主库的成果"  # a detail: the primary


def test_without_a_replica_nothing_is_routed(settings):
    from portal.core.replica import ReplicaRouter, replica_reads

    with replica_reads():
        assert ReplicaRouter().db_for_read(None) is None
