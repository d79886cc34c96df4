import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    "url", ["/", "/achievements/", "/api/v1/achievements/", "/accounts/login/"]
)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_swagger_page_alone_runs_without_the_policy(client):
    assert "Content-Security-Policy" not in client.get("/api/docs/")


def test_no_template_has_inline_script_or_event_handlers():
    # The policy forbids them: they would silently stop working in the browser.
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []
