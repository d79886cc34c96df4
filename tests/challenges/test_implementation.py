"""After the award (issue 19, point 2): the agreement as a registered
technology contract, the milestones of the reward, the midterm and the
acceptance against the 榜单's indicators, termination, issuing again."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from challenges import services
from challenges.models import Challenge, ChallengeApplication, ChallengeMilestone, ChallengeReport
from contracts import services as contracts
from contracts.models import Contract
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.models import AuditEntry
from tests.challenges import flow
from tests.factories import OrganizationFactory, PaymentFactory, StaffFactory, member_of
from tests.files import EXE, PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar(db):
    """The selection publicity counts working days: the year's calendar is entered."""
    from tests.market import flow as market_flow

    market_flow.enter_calendar()


def report(challenge, taker, kind="midterm", **kw):
    return services.report_submit(
        challenge=challenge,
        by=taker,
        kind=kind,
        summary=kw.get("summary", "完成掺杂工艺优化，循环 1200 次。"),
        evidence=kw.get("evidence", flow.evidence(challenge)),
        document=kw.get("document", upload("检测报告.pdf", PDF)),
    )


def paid(challenge, person, staff, amount):
    """A payment of the agreement, recorded by the issuer and verified by the office."""
    payment = contracts.payment_add(
        contract=challenge.contract,
        by=person,
        amount=Decimal(amount),
        paid_on=timezone.localdate(),
        evidence=upload("回单.pdf", PDF),
    )
    return contracts.payment_verify(payment=payment, by=staff)


def test_the_agreement_is_a_development_contract_that_signs_the_challenge_when_registered():
    challenge, person, taker, _staff = flow.awarded()
    stranger = member_of(OrganizationFactory())
    with pytest.raises(NotPermitted):
        services.agreement_draft(challenge=challenge, by=stranger)
    contract = services.agreement_draft(challenge=challenge, by=taker)
    assert contract.contract_type == Contract.Type.DEVELOPMENT
    assert contract.buyer_id == challenge.issuer_id
    assert contract.seller_id == challenge.selected_application.lead_id
    assert contract.amount == contract.tech_transaction_amount == challenge.reward_total
    assert contract.market_deal == challenge.code and "揭榜挂帅" in contract.title
    with pytest.raises(TransitionNotAllowed):  # one agreement
        services.agreement_draft(challenge=challenge, by=person)
    challenge.refresh_from_db()
    assert challenge.contract == contract and challenge.status == Challenge.Status.AWARDED

    signed, *_ = flow.signed(start=False)
    assert signed.status == Challenge.Status.AGREEMENT_SIGNED
    assert signed.selected_application.status == ChallengeApplication.Status.CONTRACTED
    assert signed.contract.status == Contract.Status.REGISTERED
    rows = list(signed.milestone_payments.order_by("order"))
    assert [(m.percent, m.stage) for m in rows] == [
        (30, ChallengeMilestone.Stage.SIGNING),
        (40, ChallengeMilestone.Stage.MIDTERM),
        (30, ChallengeMilestone.Stage.ACCEPTANCE),
    ]
    assert [m.amount for m in rows] == [
        Decimal("300000.00"),
        Decimal("400000.00"),
        Decimal("300000.00"),
    ]
    assert AuditEntry.objects.filter(
        action="challenges.challenge.agreement_signed", object_id=str(signed.pk)
    ).exists()


def test_milestone_amounts_add_up_to_the_total_to_the_fen():
    amounts = services.milestone_amounts(Decimal("100000.01"), [33, 33, 34])
    assert amounts == [Decimal("33000.00"), Decimal("33000.00"), Decimal("34000.01")]
    assert sum(amounts) == Decimal("100000.01")


def test_a_cancelled_challenge_agreement_is_not_registered():
    challenge, person, taker, staff = flow.awarded()
    contract = services.agreement_draft(challenge=challenge, by=person)
    contracts.contract_attach_document(contract=contract, by=person, upload=upload("协议.pdf", PDF))
    contracts.contract_confirm(contract=contract, by=taker)
    contracts.contract_submit(contract=contract, by=person)
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.CANCELLED)
    with pytest.raises(TransitionNotAllowed):
        contracts.contract_register(contract=contract, by=staff)
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SUBMITTED


def test_midterm_rectify_then_pass_then_acceptance_then_paid_milestones_close_it():
    challenge, person, taker, staff = flow.signed()
    assert challenge.status == Challenge.Status.IN_PROGRESS
    with pytest.raises(TransitionNotAllowed):  # acceptance before the midterm
        report(challenge, taker, kind="acceptance")
    with pytest.raises(NotPermitted):  # only the taker reports
        report(challenge, person)
    first = report(challenge, taker, evidence=[])
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.MIDTERM_REVIEW
    with pytest.raises(NotPermitted):  # only staff decide
        services.report_decide(report=first, by=person, result="pass")
    with pytest.raises(RuleBroken) as exc:  # a rectification needs a reason and a deadline
        services.report_decide(report=first, by=staff, result="rectify")
    assert {"comment", "rectify_by"} <= set(exc.value.message_dict)
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    services.report_decide(
        report=first, by=staff, result="rectify", comment="补充循环数据", rectify_by=deadline
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.IN_PROGRESS and challenge.rectify_by == deadline
    assert challenge.midterm_passed_on is None
    with pytest.raises(TransitionNotAllowed):  # decided once
        services.report_decide(report=first, by=staff, result="pass")
    second = report(challenge, taker)
    services.report_decide(report=second, by=staff, result="pass")
    challenge.refresh_from_db()
    assert challenge.midterm_passed_on == timezone.localdate() and challenge.rectify_by is None

    signing, midterm, acceptance = challenge.milestone_payments.order_by("order")
    forty = paid(challenge, person, staff, "400000.00")
    with pytest.raises(TransitionNotAllowed):  # due after acceptance
        services.milestone_record(milestone=acceptance, by=person, payment=forty)
    with pytest.raises(RuleBroken):  # not the milestone's amount
        services.milestone_record(milestone=signing, by=person, payment=forty)
    pending = contracts.payment_add(
        contract=challenge.contract,
        by=person,
        amount=Decimal("300000.00"),
        paid_on=timezone.localdate(),
        evidence=upload("回单.pdf", PDF),
    )
    with pytest.raises(RuleBroken):  # not verified yet
        services.milestone_record(milestone=signing, by=person, payment=pending)
    services.milestone_record(
        milestone=signing, by=person, payment=contracts.payment_verify(payment=pending, by=staff)
    )
    with pytest.raises(TransitionNotAllowed):
        services.milestone_record(milestone=signing, by=person, payment=pending)
    with pytest.raises(RuleBroken):  # one payment settles one milestone
        services.milestone_record(milestone=midterm, by=person, payment=pending)
    services.milestone_record(milestone=midterm, by=person, payment=forty)

    final = report(challenge, taker, kind="acceptance")
    services.report_decide(report=final, by=staff, result="pass")
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.ACCEPTED
    services.milestone_record(
        milestone=acceptance, by=person, payment=paid(challenge, person, staff, "300000.00")
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.CLOSED
    walked = list(
        AuditEntry.objects.filter(
            object_id=str(challenge.pk), action__startswith="challenges.challenge."
        )
        .order_by("id")
        .values_list("to_status", flat=True)
    )
    assert (
        walked[-6:]
        == [
            "midterm_review",
            "in_progress",
            "midterm_review",
            "in_progress",
            "acceptance_review",
            "accepted",
        ]
        or walked[-1] == "closed"
    )


def test_acceptance_evidence_names_every_indicator_by_its_test_method():
    challenge, _person, taker, staff = flow.signed()
    services.report_decide(report=report(challenge, taker), by=staff, result="pass")
    challenge.refresh_from_db()
    method = challenge.indicators[0]["method"]
    cases = [
        [{"name": "循环寿命", "result": "2100 次", "method": "企业自测"}],  # another method
        [{"name": "循环寿命", "result": "", "method": method}],  # no result
        [],  # missing the indicator
        [{"name": "不存在的指标", "result": "1", "method": method}],
        "not a list",
    ]
    for evidence in cases:
        with pytest.raises(RuleBroken) as exc:
            report(challenge, taker, kind="acceptance", evidence=evidence)
        assert "evidence" in exc.value.message_dict
    with pytest.raises(RuleBroken) as exc:  # the test report is a PDF
        report(challenge, taker, kind="acceptance", document=upload("r.pdf", EXE))
    assert "document" in exc.value.message_dict
    with pytest.raises(RuleBroken) as exc:
        report(challenge, taker, kind="acceptance", document=None)
    assert "document" in exc.value.message_dict
    assert not ChallengeReport.objects.filter(kind="acceptance").exists()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.IN_PROGRESS
    # The method as the 榜单 writes it, whatever the spacing.
    spaced = [{"name": "循环寿命", "result": "2100 次", "method": "  " + method.replace(" ", "  ")}]
    assert (
        report(challenge, taker, kind="acceptance", evidence=spaced).evidence[0]["method"] == method
    )


def test_a_failed_acceptance_gets_one_retest_within_three_months():
    challenge, _person, taker, staff = flow.signed()
    services.report_decide(report=report(challenge, taker), by=staff, result="pass")
    with pytest.raises(RuleBroken):  # a failure says why
        services.report_decide(
            report=report(challenge, taker, kind="acceptance"), by=staff, result="fail"
        )
    pending = ChallengeReport.objects.get(kind="acceptance")
    services.report_decide(report=pending, by=staff, result="fail", comment="循环寿命未达标")
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.ACCEPTANCE_FAILED
    retest = report(challenge, taker, kind="acceptance")
    services.report_decide(report=retest, by=staff, result="fail", comment="复测仍未达标")
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.TERMINATED

    late, _p, late_taker, late_staff = flow.signed()
    services.report_decide(report=report(late, late_taker), by=late_staff, result="pass")
    services.report_decide(
        report=report(late, late_taker, kind="acceptance"),
        by=late_staff,
        result="fail",
        comment="未达标",
    )
    Challenge.objects.filter(pk=late.pk).update(
        acceptance_failed_on=timezone.localdate() - datetime.timedelta(days=100)
    )
    late.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):  # the three months are over
        report(late, late_taker, kind="acceptance")
    assert services.challenges_sweep() == {"closed": 0, "terminated": 1}
    late.refresh_from_db()
    assert late.status == Challenge.Status.TERMINATED


def test_a_failed_midterm_terminates_and_staff_may_terminate_with_a_reason():
    challenge, _person, taker, staff = flow.signed()
    services.report_decide(
        report=report(challenge, taker), by=staff, result="fail", comment="进度严重滞后"
    )
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.TERMINATED

    other, other_person, _taker, other_staff = flow.signed()
    with pytest.raises(NotPermitted):
        services.challenge_terminate(challenge=other, by=other_person, reason="x")
    with pytest.raises(RuleBroken):
        services.challenge_terminate(challenge=other, by=other_staff, reason=" ")
    done = services.challenge_terminate(challenge=other, by=other_staff, reason="揭榜方主动放弃")
    assert done.status == Challenge.Status.TERMINATED


def test_staff_of_another_market_do_not_decide():
    from accounts.models import Market

    challenge, _person, taker, _staff = flow.signed()
    elsewhere = StaffFactory(staff_market=Market.objects.exclude(code="wuhan").first())
    with pytest.raises(NotPermitted):
        services.report_decide(report=report(challenge, taker), by=elsewhere, result="pass")


def test_windows_close_by_themselves_and_an_unawarded_challenge_is_issued_again():
    challenge, person, staff = flow.challenge("published")
    assert services.challenges_sweep() == {"closed": 0, "terminated": 0}
    Challenge.objects.filter(pk=challenge.pk).update(
        application_opens_on=timezone.localdate() - datetime.timedelta(days=31),
        application_closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert services.challenges_sweep()["closed"] == 1
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.APPLICATION_CLOSED
    with pytest.raises(TransitionNotAllowed):
        services.challenge_republish(challenge=challenge, by=person)
    challenge = services.challenge_act(challenge=challenge, by=staff, action="leave_unawarded")
    with pytest.raises(NotPermitted):
        services.challenge_republish(challenge=challenge, by=staff)
    again = services.challenge_republish(challenge=challenge, by=person)
    assert again.status == Challenge.Status.DRAFT and again.republished_from == challenge
    assert again.indicators == challenge.indicators and again.code is None
    assert again.application_opens_on == timezone.localdate()


# --- the API and the pages ---------------------------------------------------------------


def test_the_api_drafts_the_agreement_takes_reports_and_decisions(api):
    import json

    challenge, person, taker, staff = flow.awarded()
    api.force_authenticate(member_of(OrganizationFactory()))
    assert api.post(f"/api/v1/challenges/{challenge.pk}/agreement/").status_code == 403
    api.force_authenticate(person)
    drafted = api.post(f"/api/v1/challenges/{challenge.pk}/agreement/")
    assert drafted.status_code == 201 and drafted.json()["contract"]
    assert api.post(f"/api/v1/challenges/{challenge.pk}/agreement/").status_code == 409

    signed, person, taker, staff = flow.signed()
    url = f"/api/v1/challenges/{signed.pk}/reports/"
    api.force_authenticate(member_of(OrganizationFactory()))
    assert api.get(url).status_code == 404  # a stranger sees no report
    assert api.get(f"/api/v1/challenges/{signed.pk}/milestones/").status_code == 404
    api.force_authenticate(taker)
    bad = api.post(url, {"kind": "final", "summary": "x"}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()
    made = api.post(
        url,
        {"kind": "midterm", "summary": "过半", "evidence": json.dumps(flow.evidence(signed))},
        format="multipart",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["evidence"][0]["method"] == signed.indicators[0]["method"]
    assert api.post(url, {"kind": "midterm", "summary": "再次"}, format="json").status_code == 409
    decision = f"/api/v1/challenge-reports/{made.json()['id']}/decision/"
    assert api.post(decision, {"result": "pass"}, format="json").status_code == 403
    api.force_authenticate(staff)
    assert api.post(decision, {"result": "maybe"}, format="json").status_code == 400
    rectify = api.post(decision, {"result": "rectify", "comment": "补"}, format="json")
    assert rectify.status_code == 400 and "rectify_by" in rectify.json()
    passed = api.post(decision, {"result": "pass"}, format="json")
    assert passed.status_code == 200 and passed.json()["result"] == "pass"

    api.force_authenticate(person)
    rows = api.get(f"/api/v1/challenges/{signed.pk}/milestones/").json()
    assert [r["due"] for r in rows] == [True, True, False]
    assert [r["amount"] for r in rows] == ["300000.00", "400000.00", "300000.00"]
    pay = f"/api/v1/challenge-milestones/{rows[0]['id']}/payment/"
    other = PaymentFactory()  # verified, under an unrelated contract
    refused = api.post(pay, {"payment": other.pk}, format="json")
    assert refused.status_code == 400 and "payment" in refused.json()
    settled = api.post(pay, {"payment": paid(signed, person, staff, "300000.00").pk}, format="json")
    assert settled.status_code == 200 and settled.json()["payment"]


def test_pages_walk_the_agreement_the_report_and_the_decision(client):
    challenge, person, taker, staff = flow.awarded()
    client.force_login(person)
    page = client.get(challenge.get_absolute_url())
    assert b'data-action="agreement"' in page.content
    response = client.post(f"/challenges/{challenge.pk}/agreement/")
    challenge.refresh_from_db()
    assert response.status_code == 302 and response.url == challenge.contract.get_absolute_url()

    signed, person, taker, staff = flow.signed()
    client.force_login(member_of(OrganizationFactory()))
    assert client.get(f"/challenges/{signed.pk}/report/").status_code == 404
    assert b'id="milestones"' not in client.get(signed.get_absolute_url()).content
    client.force_login(taker)
    form = client.get(f"/challenges/{signed.pk}/report/")
    assert signed.indicators[0]["method"].encode() in form.content  # offered as the 榜单 names it
    redisplayed = client.post(
        f"/challenges/{signed.pk}/report/",
        {"kind": "acceptance", "summary": "完成", "result_0": "2100 次", "method_0": "自测"},
    )
    assert redisplayed.status_code == 200 and "榜单规定的检测方法".encode() in redisplayed.content
    assert not ChallengeReport.objects.exists()
    done = client.post(
        f"/challenges/{signed.pk}/report/",
        {
            "kind": "midterm",
            "summary": "完成过半",
            "result_0": "1500 次",
            "method_0": signed.indicators[0]["method"],
            "document": upload("中期.pdf", PDF),
        },
    )
    assert done.status_code == 302
    made = ChallengeReport.objects.get()
    assert client.get(f"/challenges/reports/{made.pk}/document/").status_code == 200
    client.force_login(member_of(OrganizationFactory()))
    assert client.get(f"/challenges/reports/{made.pk}/document/").status_code == 404
    client.force_login(staff)
    page = client.get(signed.get_absolute_url())
    assert b'data-testid="decide"' in page.content and b'id="milestones"' in page.content
    client.post(f"/challenges/reports/{made.pk}/decide/", {"result": "pass"})
    made.refresh_from_db()
    assert made.result == ChallengeReport.Result.PASS
