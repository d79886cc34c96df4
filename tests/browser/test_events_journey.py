"""An event in Chromium (issue 19, point 4): an agency plans it through the
form, opens registration, an enterprise registers and gets its QR ticket,
the agency checks it in by the code; desktop and phone widths."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventRegistration, MatchingEvent
from tests.browser.conftest import Shots, sign_in, sign_out
from tests.factories import PASSWORD, OrganizationFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_register_and_check_in(page):
    agency = OrganizationFactory(kind="agency", region_code="420602", name="襄阳技术转移中心")
    member_of(agency, username="organiser")
    enterprise = OrganizationFactory(
        kind="enterprise", region_code="420606", name="襄阳某零部件公司"
    )
    member_of(enterprise, username="guest")
    shot = Shots(page, "event")
    sign_in(page, "organiser", PASSWORD)
    page.goto(f"{page.base}/events/new/")
    starts = timezone.localtime() + datetime.timedelta(hours=3)
    page.select_option("#id_series", "lianbaixiao")
    page.fill("#id_title", "联百校转千果·襄阳专场")
    page.select_option("#id_city", "420600")
    page.select_option("#id_node_type", "sub_market")
    page.select_option("#id_format", "onsite")
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_capacity", "0")
    page.click("[data-testid=event-form] button[type=submit]")
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # capacity 0 refused
    assert page.input_value("#id_title") == "联百校转千果·襄阳专场"  # kept
    page.fill("#id_capacity", "30")
    page.click("[data-testid=event-form] button[type=submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("计划中")
    page.click("[data-action=open_registration]")
    expect(page.locator("[data-testid=status]")).to_have_text("报名中")
    shot("planned")
    event = MatchingEvent.objects.get()
    sign_out(page)
    sign_in(page, "guest", PASSWORD)
    page.goto(f"{page.base}{event.get_absolute_url()}")
    page.select_option("#id_role", "enterprise")
    page.click("[data-testid=register] button[type=submit]")
    expect(page.locator("[data-testid=ticket] img")).to_be_visible()
    code = page.locator("[data-testid=code]").inner_text()
    assert code == EventRegistration.objects.get().code
    shot("ticket")
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("ticket-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)
    sign_in(page, "organiser", PASSWORD)
    page.goto(f"{page.base}{event.get_absolute_url()}")
    page.fill("#ci", code)
    page.click("[data-testid=check-in] button")
    expect(page.locator(".alert-success")).to_contain_text("已签到")
    assert EventRegistration.objects.get().checked_in_at is not None
    shot("checked-in")
