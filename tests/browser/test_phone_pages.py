"""Every main page at 360 px (issue 16, point 10): nothing wider than the
screen, the list filters behind one button; a screenshot of each."""

import pytest
from django.utils import timezone

from tests.browser.conftest import Shots, sign_in
from tests.factories import (
    PASSWORD,
    AchievementFactory,
    ContractFactory,
    DemandFactory,
    StaffFactory,
    member_of,
)
from tests.market import flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "/",
    "/achievements/",
    "/demands/",
    "/experts/",
    "/scenarios/",
    "/cases/",
    "/market/",
    "/monitoring/",
    "/verify/",
    "/search/?q=电机",
    "/contracts/programs/",
    "/events/",
    "/challenges/",
    "/brokers/",
    "/brokers/courses/",
    "/credit/",
    "/platforms/",
    "/agencies/",
    "/conversion-projects/",
]
MEMBER = [
    "/workspace/",
    "/inquiries/",
    "/contracts/",
    "/matching/mine/",
    "/notifications/",
    "/events/projects/",
]
STAFF = ["/review/", "/contracts/subsidies/", "/market/staff/", "/inquiries/staff/"]


def fits(page, path: str, shot) -> None:
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home")
    assert width <= 360, f"{path} is {width} px wide"


def test_every_main_page_fits_a_phone(page):
    flow.enter_calendar()
    now = timezone.now()
    achievement = AchievementFactory(status="published", published_at=now, title="高效节能电机控制")
    DemandFactory(status="published", published_at=now)
    contract = ContractFactory(seller=achievement.organization)
    member_of(contract.buyer, username="phone_member")
    StaffFactory(username="phone_staff")
    page.set_viewport_size({"width": 360, "height": 740})
    shot = Shots(page, "phone")
    from tests.challenges import flow as challenges
    from tests.events import flow as events

    event, _organiser = events.event("registration_open")
    challenge, _issuer, _staff = challenges.challenge("published")
    for path in [*PUBLIC, event.get_absolute_url(), challenge.get_absolute_url()]:
        fits(page, path, shot)
    # The list's filters sit behind one button.
    page.goto(f"{page.base}/achievements/")
    assert not page.locator("#filters").is_visible()
    page.click("[data-testid=filters-toggle]")
    page.wait_for_selector("#filters.show")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "phone_member", PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    for path in [*MEMBER, contract.get_absolute_url()]:
        fits(page, path, shot)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "phone_staff", PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    signed, *_rest = challenges.signed()  # its agreement, milestones and reports section
    from tests.brokers import flow as brokers

    broker, agency, _boss = brokers.practising()
    course = broker.enrollments.first().course
    for path in [
        *STAFF,
        signed.get_absolute_url(),
        broker.get_absolute_url(),
        f"/brokers/courses/{course.pk}/",
        f"/credit/organizations/{agency.pk}/",
    ]:
        fits(page, path, shot)
