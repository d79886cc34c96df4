"""Demo challenges for `load_demo`: a Xiangyang enterprise's 榜单, published,
with one university's application; a Wuhan enterprise's 榜单 taken by a
university, its agreement registered and its midterm passed, the first
milestone paid."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from challenges import services
from challenges.models import Challenge
from contracts import services as contracts
from demands.models import Demand
from experts.models import Expert
from publicity.models import Publicity
from publicity.selectors import current

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def load_challenges(orgs: dict) -> int:
    """Also a draft for each demo demand published with the 揭榜挂帅 flag (as
    publishing one does)."""
    flagged = Demand.objects.filter(
        is_challenge=True, challenge__isnull=True, status=Demand.Status.PUBLISHED
    )
    for demand in flagged:
        services.challenge_from_demand(demand=demand)
    if Challenge.objects.filter(demand__isnull=True).exists():
        return Challenge.objects.count()
    issuer = User.objects.get(username="xyauto_ent")
    today = timezone.localdate()
    challenge = services.challenge_create(
        by=issuer,
        data={
            "title": "新能源汽车电机控制器功率密度提升（示范）",
            "public_summary": "征集将电机控制器功率密度提升至 45 kW/L 的技术方案，可联合攻关。",
            "confidential_detail": "现有产品：30 kW/L，SiC 模块，水冷。（示范）",
            "tech_field": "transport",
            "indicators": [
                {"name": "功率密度", "target": "≥45 kW/L", "method": "GB/T 18488 台架试验"},
                {"name": "峰值效率", "target": "≥98.5%", "method": "第三方检测报告"},
            ],
            "deliverables": ["样机 2 台", "检测报告"],
            "ip_terms": "shared",
            "reward_total": "3000000.00",
            "application_opens_on": today - datetime.timedelta(days=5),
            "application_closes_on": today + datetime.timedelta(days=25),
            "implementation_months": 18,
            "eligibility_notes": "具备电驱系统研发能力和样机试制条件。",
            "evaluation_method": "defense",
            "criteria": ["技术方案", "团队能力", "实施计划"],
        },
    )
    services.challenge_submit(challenge=challenge, by=issuer)
    services.challenge_review(
        challenge=challenge, by=User.objects.get(username="staff_xiangyang"), decision="approve"
    )
    applicant = User.objects.get(username="hbuas_officer")
    services.nda_accept(challenge=challenge, by=applicant)
    services.application_submit(
        challenge=challenge,
        by=applicant,
        data={"plan": "双面冷却 SiC 模块与集成母排设计。（示范）", "team_leader": "刘志远"},
    )
    _in_progress()
    return Challenge.objects.count()


def _panel(challenge, staff, n: int = 5) -> list:
    """Five demo experts of no party's organisation, each with a (sign-in-less)
    account to score under."""
    parties = {challenge.issuer_id, *challenge.applications.values_list("lead_id", flat=True)}
    seats = []
    for expert in Expert.objects.exclude(organization_id__in=parties).order_by("id")[:n]:
        if expert.user_id is None:
            expert.user = User.objects.create(username=f"expert_demo_c{expert.pk}", is_active=False)
            expert.save(update_fields=["user"])
        seats.append(services.reviewer_add(challenge=challenge, by=staff, expert=expert))
    return seats


def _in_progress() -> None:
    """A 榜单 from publication to a passed midterm, every step through the services."""
    issuer, staff = User.objects.get(username="optic_ent"), User.objects.get(username="staff_wuhan")
    taker, other = (
        User.objects.get(username="hust_officer"),
        User.objects.get(username="wut_officer"),
    )
    today = timezone.localdate()
    challenge = services.challenge_create(
        by=issuer,
        data={
            "title": "高功率光纤激光器热管理技术攻关（示范）",
            "public_summary": "征集万瓦级光纤激光器泵浦源与增益光纤的高效散热方案。",
            "confidential_detail": "现有方案：水冷板，热阻 0.35 K/W。（示范）",
            "tech_field": "electronics",
            "indicators": [
                {"name": "热阻", "target": "≤0.2 K/W", "method": "GB/T 14862 热阻测试"},
                {"name": "连续运行", "target": "≥1000 h 无衰减", "method": "第三方寿命试验"},
            ],
            "deliverables": ["散热模组样件 5 套", "检测报告"],
            "ip_terms": "shared",
            "reward_total": "1200000.00",
            "application_opens_on": today - datetime.timedelta(days=60),
            "application_closes_on": today + datetime.timedelta(days=5),
            "implementation_months": 12,
            "eligibility_notes": "具备热设计与样件试制条件。",
            "evaluation_method": "expert_review",
            "criteria": ["技术方案", "团队能力", "实施计划"],
        },
    )
    services.challenge_submit(challenge=challenge, by=issuer)
    challenge = services.challenge_review(challenge=challenge, by=staff, decision="approve")
    applications = [
        services.application_submit(
            challenge=challenge, by=user, data={"plan": plan, "team_leader": leader}
        )
        for user, plan, leader in (
            (taker, "微通道相变冷却与均温板复合方案。（示范）", "陈立"),
            (other, "液态金属导热界面与翅片优化。（示范）", "王敏"),
        )
    ]
    services.challenge_act(challenge=challenge, by=staff, action="close_applications")
    for application in applications:
        services.application_check(application=application, by=staff, eligible=True)
    challenge = services.challenge_act(challenge=challenge, by=staff, action="evaluate")
    for n, seat in enumerate(_panel(challenge, staff)):
        for application, base in zip(applications, (88, 76), strict=True):
            services.review_submit(
                application=application,
                by=seat.expert.user,
                scores={c: base + n for c in challenge.criteria},
            )
    challenge = services.challenge_select(
        challenge=challenge, by=staff, application=applications[0]
    )
    # The demo's clock: the selection publicity ran its five working days.
    Publicity.objects.filter(pk=current(challenge, Publicity.Kind.SELECTION).pk).update(
        starts_on=today - datetime.timedelta(days=12), ends_on=today - datetime.timedelta(days=3)
    )
    challenge = services.challenge_award(challenge=challenge, by=staff)
    contract = services.agreement_draft(challenge=challenge, by=issuer)
    contracts.contract_attach_document(contract=contract, by=issuer, upload=_pdf("合作协议.pdf"))
    contracts.contract_confirm(contract=contract, by=taker)
    contracts.contract_submit(contract=contract, by=issuer)
    contracts.contract_register(contract=contract, by=staff)
    challenge.refresh_from_db()
    challenge = services.challenge_start(challenge=challenge, by=taker)
    first = challenge.milestone_payments.get(order=1)
    payment = contracts.payment_add(
        contract=contract, by=issuer, amount=first.amount, paid_on=today, evidence=_pdf("回单.pdf")
    )
    payment = contracts.payment_verify(payment=payment, by=staff)
    services.milestone_record(milestone=first, by=issuer, payment=payment)
    report = services.report_submit(
        challenge=challenge,
        by=taker,
        kind="midterm",
        summary="完成微通道冷板设计与首批样件，热阻实测 0.24 K/W。（示范）",
        evidence=[{"name": "热阻", "result": "0.24 K/W", "method": "GB/T 14862 热阻测试"}],
        document=_pdf("中期检测报告.pdf"),
    )
    services.report_decide(report=report, by=staff, result="pass", comment="进度符合任务书。")
