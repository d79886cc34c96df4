import pytest


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
