"""A lost database connection answers 503 with Retry-After, not a 500."""

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def _database_gone(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_page_answers_503_when_the_database_connection_is_lost(client, monkeypatch):
    monkeypatch.setattr("portal.site.views.headline", _database_gone)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "服务暂时不可用" in response.content.decode()


def test_an_api_call_answers_503_json_when_the_database_connection_is_lost(api, monkeypatch):
    monkeypatch.setattr("portal.site.stats.indicators", _database_gone)
    api.raise_request_exception = False
    response = api.get("/api/v1/stats/indicators/?year=2025")
    assert response.status_code == 503
    assert "Service temporarily unavailable" in response.json()["detail"]


def test_any_other_error_is_still_the_plain_500(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("portal.site.views.headline", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "服务器出现错误" in response.content.decode()
