"""A demo challenge for `load_demo`: a Xiangyang enterprise's 榜单, published,
with one university's application."""

import datetime

from django.utils import timezone

from accounts.models import User
from challenges import services
from challenges.models import Challenge
from demands.models import Demand


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
    return Challenge.objects.count()
