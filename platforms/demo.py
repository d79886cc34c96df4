"""Demo platforms for `load_demo`: a provincial pilot base in Yichang,
recognised after its publicity and reporting its services, and a
concept-verification centre in Wuhan waiting for the expert review — every
step through the services."""

import datetime

from django.utils import timezone

from accounts.models import User
from platforms import services
from platforms.models import Platform
from publicity.models import Publicity
from publicity.selectors import current


def load_platforms(orgs: dict) -> int:
    if Platform.objects.exists():
        return Platform.objects.count()
    staff = User.objects.get(username="staff_wuhan")
    today = timezone.localdate()
    host = User.objects.get(username="ycchem_officer")
    base = services.platform_create(
        by=host,
        data={
            "kind": "pilot_base",
            "level": "provincial",
            "name": "宜昌精细化工中试基地（示范）",
            "address": "宜昌市猇亭区化工园 8 号",
            "industries": ["green_chem", "materials"],
            "services": ["scale_up", "process_validation", "testing"],
            "premises_m2": 12000,
            "equipment": [
                {
                    "name": "连续流反应装置",
                    "model": "CF-200",
                    "value": "2800000",
                    "shareable": True,
                },
                {"name": "气相色谱-质谱联用仪", "model": "GCMS-QP", "value": "960000"},
            ],
            "lead_name": "陈工",
            "staff_total": 46,
            "engineers": 21,
            "annual_budget": "8000000.00",
            "open_service": True,
            "fee_schedule": "按批次和工时收费，价目表公开。",
            "ip_policy": "签订保密协议，试验数据分级保护并及时申请知识产权。",
            "incidents": [],
            "established_on": today - datetime.timedelta(days=3 * 365),
            "description": "面向磷化工与精细化工的工艺放大与验证。（示范）",
        },
    )
    services.platform_submit(platform=base, by=host)
    yichang = User.objects.get(username="staff_yichang")
    base = services.platform_recommend(platform=base, by=yichang, recommend=True)
    base = services.platform_review(
        platform=base,
        by=staff,
        score=88,
        opinion="条件完备，开放服务成效明显。（示范）",
        passed=True,
    )
    # The demo's clock: the recognition publicity ran its seven days.
    Publicity.objects.filter(pk=current(base, Publicity.Kind.RECOGNITION).pk).update(
        starts_on=today - datetime.timedelta(days=10), ends_on=today - datetime.timedelta(days=3)
    )
    base = services.platform_recognize(platform=base, by=staff)
    services.record_add(
        platform=base,
        by=host,
        data={
            "client": "宜昌某磷化工企业（示范）",
            "service_type": "scale_up",
            "starts_on": today - datetime.timedelta(days=2),
            "ends_on": today,
            "fee": "120000.00",
            "outcome": "passed",
        },
    )
    poc_host = User.objects.get(username="whoe_officer")
    centre = services.platform_create(
        by=poc_host,
        data={
            "kind": "poc_center",
            "level": "provincial",
            "name": "光电子概念验证中心（示范）",
            "address": "武汉市东湖高新区光谷一路 3 号",
            "industries": ["optics_chips"],
            "services": ["tech_feasibility", "product_scenario_validation"],
            "premises_m2": 1800,
            "equipment": [{"name": "光谱测试平台", "model": "OSA-9", "value": "650000"}],
            "lead_name": "林工",
            "staff_total": 15,
            "engineers": 9,
            "annual_budget": "2000000.00",
            "open_service": True,
            "fee_schedule": "验证服务按项目定价。",
            "ip_policy": "设保密区，人员设备清单管理。",
            "incidents": [],
            "established_on": today - datetime.timedelta(days=200),
        },
    )
    services.platform_submit(platform=centre, by=poc_host)
    services.platform_recommend(platform=centre, by=staff, recommend=True)
    return Platform.objects.count()
