"""A request that cannot get its row lock in time answers 503 with Retry-After,
like a lost connection, and saves nothing (portal/core/locks.py)."""

import psycopg2
import pytest
from django.db import connection

from achievements.models import Achievement
from tests.factories import AchievementFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held_lock():
    """Another session holds a row lock until the test ends."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})

    def hold(model, pk):
        cursor = other.cursor()
        cursor.execute(f"SELECT id FROM {model._meta.db_table} WHERE id = %s FOR UPDATE", [pk])

    yield hold
    other.rollback()
    other.close()


def test_every_connection_starts_with_the_lock_timeout(settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == f"{settings.LOCK_TIMEOUT_SECONDS}s"


def test_a_locked_row_answers_503_with_retry_after_and_changes_nothing(
    api, client, settings, held_lock
):
    settings.LOCK_TIMEOUT_SECONDS = 0.2
    item = AchievementFactory(status=Achievement.Status.DRAFT)
    owner = UserFactory(organization=item.organization)
    held_lock(Achievement, item.pk)

    api.force_authenticate(owner)
    api.raise_request_exception = False
    response = api.post(f"/api/v1/achievements/{item.pk}/submit/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Service temporarily unavailable" in response.json()["detail"]

    client.force_login(owner)
    client.raise_request_exception = False
    page = client.post(f"/achievements/{item.pk}/submit/")
    assert page.status_code == 503 and page["Retry-After"] == "5"

    item.refresh_from_db()
    assert item.status == Achievement.Status.DRAFT
