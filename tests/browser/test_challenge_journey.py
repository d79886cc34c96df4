"""An open challenge in Chromium (issue 19): the detail appears only after the
NDA, a university applies, staff propose the taker after the reviews and
award it once the selection publicity is over."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from challenges import services
from challenges.models import Challenge, ChallengeApplication
from publicity.models import Publicity
from tests.browser.conftest import Shots, sign_in, sign_out
from tests.challenges import flow
from tests.factories import PASSWORD, OrganizationFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nda_apply_review_publicity_award(page):
    from tests.market import flow as market_flow

    market_flow.enter_calendar()
    challenge, _issuer, staff = flow.challenge("published")
    staff.username = "reviewer_staff"
    staff.save(update_fields=["username"])
    university = OrganizationFactory(kind="university", name="某理工大学")
    member_of(university, username="applicant")
    shot = Shots(page, "challenge")
    sign_in(page, "applicant", PASSWORD)
    page.goto(f"{page.base}{challenge.get_absolute_url()}")
    expect(page.locator("[data-testid=confidential]")).to_have_count(0)
    assert challenge.confidential_detail not in page.content()
    page.click("[data-testid=nda] button")
    expect(page.locator("[data-testid=confidential]")).to_contain_text("NCM811")
    shot("after-nda")
    page.click("[data-testid=apply-link]")
    page.fill("#id_team_leader", "李青")
    page.click("[data-testid=apply] button[type=submit]")
    expect(page.locator("[data-testid=apply] .invalid-feedback").first).to_be_visible()
    assert page.input_value("#id_team_leader") == "李青"
    page.fill("#id_plan", "掺杂包覆双改性，三个月出样。")
    page.click("[data-testid=apply] button[type=submit]")
    expect(page.locator("[data-testid=mine]")).to_be_visible()
    sign_out(page)
    mine = ChallengeApplication.objects.get(lead=university)
    other, _person = flow.applicant(challenge)
    services.challenge_act(challenge=challenge, by=staff, action="close_applications")
    for application in (mine, other):
        services.application_check(application=application, by=staff, eligible=True)
    services.challenge_act(challenge=challenge, by=staff, action="evaluate")
    for n in range(5):
        seat = services.reviewer_add(challenge=challenge, by=staff, expert=flow.expert())
        for application, base in ((mine, 90), (other, 70)):
            services.review_submit(
                application=application,
                by=seat.expert.user,
                scores=dict.fromkeys(flow.CRITERIA, base + n),
            )
    sign_in(page, "reviewer_staff", PASSWORD)
    page.goto(f"{page.base}{challenge.get_absolute_url()}")
    row = page.locator("[data-testid=application]", has_text="某理工大学")
    row.locator("[data-action=select]").click()
    expect(page.locator("[data-testid=status]")).to_have_text("拟揭榜方公示中")
    shot("publicity")
    Publicity.objects.update(
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    page.reload()
    page.click("[data-action=award]")
    expect(page.locator("[data-testid=status]")).to_have_text("已确定揭榜方")
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.AWARDED and challenge.selected_application == mine
    shot("awarded")

    # The taker drafts the agreement: a technology contract for the reward.
    from contracts import services as contracts
    from tests.files import PDF, upload

    sign_out(page)
    sign_in(page, "applicant", PASSWORD)
    page.goto(f"{page.base}{challenge.get_absolute_url()}")
    page.click("[data-action=agreement]")
    page.wait_for_selector("text=合作协议已起草")
    challenge.refresh_from_db()
    contract = challenge.contract
    assert page.url.endswith(contract.get_absolute_url())
    contracts.contract_attach_document(
        contract=contract, by=mine.submitted_by, upload=upload("协议.pdf", PDF)
    )
    contracts.contract_confirm(contract=contract, by=_issuer)
    page.reload()
    page.click("[data-action=submit]")
    page.wait_for_selector("text=已提交登记")
    sign_out(page)

    # The office registers it: the challenge is signed, its reward split in milestones.
    sign_in(page, "reviewer_staff", PASSWORD)
    page.goto(f"{page.base}{contract.get_absolute_url()}")
    page.click("[data-action=register]")
    page.wait_for_selector("[data-testid=registration-number]")
    page.goto(f"{page.base}{challenge.get_absolute_url()}")
    expect(page.locator("[data-testid=status]")).to_have_text("已签约")
    expect(page.locator("[data-testid=agreement-link]")).to_be_visible()
    expect(page.locator("[data-testid=milestone]")).to_have_count(3)
    shot("contract-registered")
