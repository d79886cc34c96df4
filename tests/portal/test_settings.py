import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.core.env import env_bool, env_int, env_list
from portal.core.mail import email_settings

ROOT = Path(__file__).resolve().parents[2]


def _server_env(**env):
    """Only what a server has (not this process's DEBUG, PORTAL_TESTING, or the
    DJANGO_ALLOW_ASYNC_UNSAFE that the browser tests set), plus `env`."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}}
    return {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", **clean, **env}


def _import_settings(**env):
    clean = _server_env(**env)
    return subprocess.run(
        [sys.executable, "-c", "import portal.settings as s; print(s.DEBUG, len(s.SECRET_KEY))"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_makemigrations_runs_without_a_secret_key():
    """It reads the models and signs nothing: a lint step needs no production key."""
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=_server_env(),  # no database reachable: it only reads the models
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert "No changes detected" in result.stdout


def test_production_starts_with_a_secret_key():
    result = _import_settings(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "50"]


def test_a_non_postgres_database_is_refused():
    result = _import_settings(SECRET_KEY="x" * 50, DATABASE_URL="sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_env_helpers_reject_malformed_values(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)
    monkeypatch.setenv("HOSTS", "a.cn, b.cn,")
    assert env_list("HOSTS", []) == ["a.cn", "b.cn"]


def test_email_url_becomes_smtp_settings():
    s = email_settings("smtp+tls://u%40x:p%2Fw@mail.example.cn:2525")
    assert s["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (
        s["EMAIL_HOST"],
        s["EMAIL_PORT"],
        s["EMAIL_HOST_USER"],
        s["EMAIL_HOST_PASSWORD"],
        s["EMAIL_USE_TLS"],
    ) == ("mail.example.cn", 2525, "u@x", "p/w", True)
    assert email_settings("console:")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ImproperlyConfigured):
        email_settings("pigeon://coop")


def test_celery_is_configured_for_reliability(settings):
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert (
        settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        > settings.CELERY_TASK_TIME_LIMIT
    )
    assert settings.CELERY_TASK_ALWAYS_EAGER is (not settings.REDIS_URL)


def test_the_deployment_checklist_passes_with_production_settings():
    clean = _server_env(
        SECRET_KEY="k9$Xf2!pQ7zR4mW8vB1nL6tY3hJ0cD5sG#aE@uI^oK&rT*yU(wZ)",
        ALLOWED_HOSTS="portal.example.cn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
