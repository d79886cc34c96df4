"""The compose file, the README and the settings agree with each other."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _readme_settings() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))


def test_compose_has_the_production_services():
    services = _compose()["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_app_services_share_one_configuration_pointing_at_db_and_redis():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["DEBUG"] == "0"
        assert "SECRET_KEY" in env
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"


def test_every_variable_compose_sets_is_documented_in_the_readme():
    documented = _readme_settings()
    for name in ("web", "worker", "beat"):
        assert set(_compose()["services"][name]["environment"]) <= documented


def test_every_variable_the_settings_read_is_documented_in_the_readme():
    sources = "".join((ROOT / "portal" / f).read_text(encoding="utf-8") for f in ("settings.py",))
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', sources))
    read.discard("PORTAL_TESTING")  # set by the test settings only
    assert read, "the pattern found nothing: the test would pass vacuously"
    assert read <= _readme_settings()


def test_the_readme_lists_the_demo_accounts_that_load_demo_creates():
    from accounts.demo import ACCOUNTS, DEMO_PASSWORD

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert DEMO_PASSWORD in readme
    for username, *_ in ACCOUNTS:
        assert f"`{username}`" in readme


def test_ci_runs_make_test_with_the_machines_services():
    ci = (ROOT / ".ci/run").read_text()
    assert "make test" in ci and "DATABASE_URL" in ci and "REDIS_URL" in ci
