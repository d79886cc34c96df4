"""Challenges in a chosen state, for the challenges tests and the audit walk."""

import datetime

from django.utils import timezone

from challenges import services
from experts.models import Expert
from experts.services import expert_save
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of

CRITERIA = ["技术方案", "团队能力", "实施计划"]


def data(**extra) -> dict:
    today = timezone.localdate()
    return {
        "title": "高镍正极材料循环寿命提升",
        "public_summary": "征集将 4.4V 高镍正极循环寿命提升至 2000 次的技术方案。",
        "confidential_detail": "现有配方：NCM811，掺杂 Al 0.5%。",
        "tech_field": "energy",
        "indicators": [{"name": "循环寿命", "target": "≥2000 次", "method": "GB/T 31484 循环测试"}],
        "deliverables": ["中试样品 10 kg", "测试报告"],
        "ip_terms": "shared",
        "reward_total": "1000000.00",
        "application_opens_on": today,
        "application_closes_on": today + datetime.timedelta(days=30),
        "implementation_months": 12,
        "eligibility_notes": "具备正极材料研发能力与中试条件。",
        "evaluation_method": "expert_review",
        "criteria": CRITERIA,
        **extra,
    }


def issuer():
    enterprise = OrganizationFactory(kind="enterprise", region_code="420111")
    return enterprise, member_of(enterprise)


def challenge(status: str = "draft", **extra):
    _org, person = issuer()
    made = services.challenge_create(by=person, data=data(**extra))
    staff = StaffFactory()
    if status in ("need_review", "published", "evaluating"):
        made = services.challenge_submit(challenge=made, by=person)
    if status in ("published", "evaluating"):
        made = services.challenge_review(challenge=made, by=staff, decision="approve")
    made.refresh_from_db()
    return made, person, staff


def applicant(challenge, kind: str = "university"):
    org = OrganizationFactory(kind=kind, region_code="420111")
    person = member_of(org)
    application = services.application_submit(
        challenge=challenge, by=person, data={"plan": "掺杂包覆双改性", "team_leader": "李青"}
    )
    return application, person


def expert(organization=None):
    user = UserFactory(organization=None)
    return expert_save(
        expert=Expert(
            name="评审专家",
            organization=organization,
            tech_fields=["energy"],
            keywords=[],
            user=user,
        )
    )


def evaluating_with_reviews(n_reviews: int = 5, n_applications: int = 2):
    """A challenge under evaluation, its applications admitted and scored."""
    made, person, staff = challenge("published")
    applications = [applicant(made)[0] for _ in range(n_applications)]
    made = services.challenge_act(challenge=made, by=staff, action="close_applications")
    for application in applications:
        services.application_check(application=application, by=staff, eligible=True)
    made = services.challenge_act(challenge=made, by=staff, action="evaluate")
    for n in range(n_reviews):
        seat = services.reviewer_add(challenge=made, by=staff, expert=expert())
        for k, application in enumerate(applications):
            score = 90 - 10 * k + n
            services.review_submit(
                application=application,
                by=seat.expert.user,
                scores=dict.fromkeys(CRITERIA, score),
            )
    return made, applications, person, staff


def awarded():
    """A challenge awarded after a clean selection publicity: (challenge, issuer's
    member, the taker's member, staff)."""
    import datetime as dt

    from publicity.models import Publicity
    from publicity.selectors import current

    made, applications, person, staff = evaluating_with_reviews(n_reviews=5)
    made = services.challenge_select(challenge=made, by=staff, application=applications[0])
    Publicity.objects.filter(pk=current(made, Publicity.Kind.SELECTION).pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=10),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    made = services.challenge_award(challenge=made, by=staff)
    taker = member_of(applications[0].lead)
    return made, person, taker, staff


def signed(start: bool = True):
    """An awarded challenge whose agreement both parties confirmed and staff
    registered; in progress when `start`."""
    from contracts import services as contracts
    from tests.files import PDF, upload

    made, person, taker, staff = awarded()
    contract = services.agreement_draft(challenge=made, by=person)
    contracts.contract_attach_document(contract=contract, by=person, upload=upload("协议.pdf", PDF))
    contract = contracts.contract_confirm(contract=contract, by=taker)  # the issuer's own draft
    contracts.contract_submit(contract=contract, by=person)
    contracts.contract_register(contract=contract, by=staff)
    made.refresh_from_db()
    if start:
        made = services.challenge_start(challenge=made, by=taker)
    return made, person, taker, staff


def evidence(challenge, **override) -> list[dict]:
    return [
        {"name": i["name"], "result": override.get("result", "2150 次"), "method": i["method"]}
        for i in challenge.indicators
    ]
