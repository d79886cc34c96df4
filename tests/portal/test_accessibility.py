"""Every form field has a label; every page has a Chinese title; English exists."""

from html.parser import HTMLParser

import pytest

from tests.factories import (
    AchievementFactory,
    BrokerFactory,
    ContractFactory,
    OrganizationFactory,
    ProgramFactory,
    StaffFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


class Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs, self.labels, self.title, self._in_title = [], set(), "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.inputs.append(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False


def unlabelled(html: str) -> list[str]:
    parser = Fields()
    parser.feed(html)
    return [
        f.get("name", "?")
        for f in parser.inputs
        if f.get("id") not in parser.labels and not f.get("aria-label")
    ]


def pages_of(user):
    org = user.organization
    achievement = AchievementFactory(organization=org) if org else AchievementFactory()
    urls = [
        "/",
        "/achievements/",
        "/demands/",
        "/experts/",
        "/cases/",
        "/scenarios/",
        "/evaluation/",
        "/evaluation/trl/",
        "/evaluation/valuation/",
        "/monitoring/",
        "/search/?q=石墨烯",
        "/contracts/programs/",
    ]
    if org:
        urls += ["/workspace/", f"/achievements/{achievement.pk}/", "/contracts/"]
        if org.kind in ("university", "enterprise"):
            urls += ["/achievements/new/", "/achievements/import/"]
        if org.kind == "enterprise":
            urls += ["/demands/new/", "/scenarios/new/"]
    return urls


@pytest.mark.parametrize("who", ["anonymous", "university", "enterprise", "broker", "staff"])
def test_every_field_is_labelled_and_every_title_is_chinese(client, who):
    users = {
        "anonymous": None,
        "university": lambda: member_of(OrganizationFactory(kind="university")),
        "enterprise": lambda: member_of(OrganizationFactory(kind="enterprise")),
        "broker": BrokerFactory,
        "staff": StaffFactory,
    }
    user = users[who]() if users[who] else None
    if user:
        client.force_login(user)
    ProgramFactory()
    ContractFactory()
    urls = (
        pages_of(user)
        if user and user.organization
        else pages_of(type("U", (), {"organization": None})())
    )
    if who == "anonymous":
        urls += ["/accounts/signup/", "/accounts/login/", "/accounts/password-reset/"]
    if who == "broker":
        urls += ["/contracts/new/", "/matching/"]
    if who == "staff":
        urls += [
            "/review/",
            "/accounts/organizations/verify/",
            "/matching/",
            "/contracts/subsidies/",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert unlabelled(html) == [], url
        parser = Fields()
        parser.feed(html)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in parser.title), url


def test_every_page_has_an_english_version(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in ("/", "/achievements/", "/monitoring/", "/evaluation/", "/accounts/signup/"):
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, url
        assert "Hubei Technology Transaction Market" in html, url
