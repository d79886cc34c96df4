"""Small things users saw (issue 16, point 12)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()


def test_in_debug_an_unknown_page_is_the_portals_404(client, settings):
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "URLconf" not in text and "navbar-portal" in text
    api = client.get("/api/v1/no-such-thing/")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")


def test_load_demo_does_not_print_the_emails(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Demo e-mails:" in out
    assert "Content-Transfer-Encoding" not in out and "Subject:" not in out
    assert settings.EMAIL_BACKEND.endswith("console.EmailBackend")
