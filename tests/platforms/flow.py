"""Pilot platforms in a chosen state, for the platforms tests and the audit walk."""

import datetime

from django.utils import timezone

from platforms import services
from publicity.models import Publicity
from publicity.selectors import current
from tests.factories import OrganizationFactory, StaffFactory, member_of


def data(**extra) -> dict:
    return {
        "kind": "pilot_base",
        "level": "provincial",
        "name": "新材料中试基地",
        "address": "武汉市东湖高新区光谷大道 1 号",
        "industries": ["materials"],
        "services": ["scale_up", "process_validation"],
        "premises_m2": 5000,
        "equipment": [
            {"name": "连续化反应釜", "model": "R-500", "value": "1200000.00", "shareable": True},
            {"name": "粒度分析仪", "model": "LS-13", "value": "350000.50", "shareable": False},
        ],
        "lead_name": "周工",
        "staff_total": 30,
        "engineers": 12,
        "annual_budget": "5000000.00",
        "open_service": True,
        "fee_schedule": "按工时和耗材收费，公开价目表。",
        "ip_policy": "保密协议与分级保护，数据及时登记为知识产权。",
        "incidents": [],
        "established_on": timezone.localdate() - datetime.timedelta(days=800),
        **extra,
    }


def host():
    org = OrganizationFactory(kind="enterprise", region_code="420111")
    return org, member_of(org)


def platform(status: str = "draft", **extra):
    """(platform, host member, staff) — staff of Wuhan, the central market."""
    _org, person = host()
    made = services.platform_create(by=person, data=data(**extra))
    staff = StaffFactory()
    if status == "draft":
        return made, person, staff
    made = services.platform_submit(platform=made, by=person)
    if status == "submitted":
        return made, person, staff
    made = services.platform_recommend(platform=made, by=staff, recommend=True)
    if status == "expert_review":
        return made, person, staff
    made = services.platform_review(
        platform=made, by=staff, score=86, opinion="条件具备，服务开放。", passed=True
    )
    if status == "publicity":
        return made, person, staff
    Publicity.objects.filter(pk=current(made, Publicity.Kind.RECOGNITION).pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    made = services.platform_recognize(platform=made, by=staff)
    return made, person, staff
