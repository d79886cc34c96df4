"""Issue 16 in Chromium: the staff queue (bulk approval with a comment, staying
in place), a refused payment that keeps what was typed, and the phone width."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from achievements.models import Achievement
from tests.browser.conftest import Shots, sign_in
from tests.factories import (
    PASSWORD,
    AchievementFactory,
    ContractFactory,
    StaffFactory,
    member_of,
)
from tests.market import flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_approve_in_bulk_and_stay_in_the_queue(page):
    flow.enter_calendar()
    StaffFactory(username="reviewer")
    items = [
        AchievementFactory(status="pending", submitted_at=timezone.now(), title=f"待审成果{n}")
        for n in range(3)
    ]
    shot = Shots(page, "queue")
    sign_in(page, "reviewer", PASSWORD)
    page.goto(f"{page.base}/review/?sort=oldest")
    for item in items[:2]:
        page.check(f"input[name=ids][value='{item.pk}']")
    page.fill("#bulk-comment-achievements", "材料齐全，同意发布")
    page.evaluate("window.stayed = 42")  # gone if the page reloaded
    page.click("[data-testid=bulk-achievements] [data-action=bulk-approve]")
    expect(page.locator(".alert-success")).to_contain_text("2")
    expect(page.locator("[data-testid=queue-row]")).to_have_count(1)
    assert page.evaluate("window.stayed") == 42
    assert "/review/" in page.url and "sort=oldest" in page.url
    assert Achievement.objects.filter(status="published").count() == 2
    shot("bulk-approved")
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot("phone")


def test_register_a_contract_from_the_queue_with_a_comment_in_place(page):
    flow.enter_calendar()
    StaffFactory(username="registrar")
    waiting = [
        ContractFactory(status="submitted", registration_number=None, submitted_at=timezone.now())
        for _ in range(2)
    ]
    sign_in(page, "registrar", PASSWORD)
    page.goto(f"{page.base}/review/?kind=contracts")
    rows = page.locator("#contracts [data-testid=queue-row]")
    expect(rows).to_have_count(2)
    page.evaluate("window.stayed = 42")
    first = rows.first
    first.locator("summary").click()
    first.locator("input[name=comment]").fill("认定无误")
    first.locator("[data-action=register]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(rows).to_have_count(1)
    assert page.evaluate("window.stayed") == 42
    assert sum(c.__class__.objects.get(pk=c.pk).status == "registered" for c in waiting) == 1
    Shots(page, "queue")("contract-registered")


def test_a_refused_payment_keeps_what_was_typed(page):
    contract = ContractFactory()
    member_of(contract.buyer, username="payer")
    sign_in(page, "payer", PASSWORD)
    page.goto(f"{page.base}{contract.get_absolute_url()}")
    page.fill("#id_amount", "99999999")
    page.fill("#id_paid_on", "2025-06-01")
    page.set_input_files(
        "#id_evidence",
        files=[{"name": "回单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}],
    )
    page.click("#payment button[type=submit]")
    expect(page.locator("[data-testid=payment-refused]")).to_be_visible()
    assert page.input_value("#id_amount") == "99999999"
    assert page.input_value("#id_paid_on") == "2025-06-01"
    Shots(page, "payment")("refused")
