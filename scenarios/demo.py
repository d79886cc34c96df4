"""15 demo application scenarios with proposals."""

import datetime

from django.utils import timezone

from portal.library.services import item_reindex
from scenarios.models import Proposal, Scenario

S = Scenario.Status

# (publisher key, title, field, industries, technologies, description, status)
SCENARIOS = [
    (
        "gov",
        "武汉市主城区智慧路口车路协同试点",
        "transport",
        ["nev", "digital"],
        ["车路协同", "自动驾驶"],
        "在主城区 20 个路口开展车路协同试点，征集路侧感知、信号优化与车端预警方案。",
        S.OPEN,
    ),
    (
        "gov",
        "东湖高新区工业园区综合能源管理示范",
        "energy",
        ["digital"],
        ["储能", "光伏"],
        "园区内企业用能数据统一监测，试点分布式光伏与储能协同调度。",
        S.OPEN,
    ),
    (
        "gov",
        "长江沿线化工园区废水零排放示范",
        "environment",
        ["green_chem"],
        ["废水处理", "资源化利用"],
        "选择两个化工园区开展高盐废水零排放与分盐资源化示范。",
        S.OPEN,
    ),
    (
        "gov",
        "三甲医院肿瘤早筛新技术临床应用场景",
        "biomed",
        ["health"],
        ["体外诊断", "早筛"],
        "在合作医院体检中心开展无创肿瘤早筛新技术的临床验证。",
        S.OPEN,
    ),
    (
        "gov",
        "城市燃气管网泄漏智能监测试点",
        "urban",
        ["digital"],
        ["管网监测", "智慧城市"],
        "对老旧城区燃气管网开展在线监测与泄漏快速定位试点。",
        S.OPEN,
    ),
    (
        "xygov",
        "襄阳汽车产业园智能焊装产线改造",
        "manufacturing",
        ["smart_mfg", "nev"],
        ["焊接", "工业机器人"],
        "面向园区汽车零部件企业，征集焊缝在线检测与柔性焊装方案。",
        S.OPEN,
    ),
    (
        "xygov",
        "襄阳农业园区稻虾共作数字化示范",
        "agriculture",
        ["agri"],
        ["智慧农业", "水产养殖"],
        "在稻虾共作基地开展水质监测、自动增氧与病害预警示范。",
        S.OPEN,
    ),
    (
        "xygov",
        "汉江流域城镇污水处理提标改造",
        "environment",
        ["green_chem"],
        ["污水处理"],
        "征集低能耗脱氮除磷工艺，支撑城镇污水处理厂提标。",
        S.CLOSED,
    ),
    (
        "optic",
        "手机整机散热方案联合验证",
        "materials",
        ["materials", "optics_chips"],
        ["散热膜", "石墨烯"],
        "在新一代终端产品上联合验证高导热材料与结构散热方案。",
        S.OPEN,
    ),
    (
        "optic",
        "光模块产线视觉检测替代人工",
        "electronics",
        ["optics_chips"],
        ["机器视觉", "缺陷检测"],
        "光模块封装产线上以视觉检测替代人工目检。",
        S.OPEN,
    ),
    (
        "xyauto",
        "新能源车身轻量化部件试制",
        "manufacturing",
        ["nev"],
        ["轻量化", "复合材料"],
        "与整车厂联合试制轻量化车身结构件。",
        S.OPEN,
    ),
    (
        "ycphos",
        "磷石膏规模化消纳应用场景",
        "environment",
        ["green_chem", "materials"],
        ["磷石膏"],
        "提供年产 50 万吨磷石膏的消纳场景，征集建材与路基利用技术。",
        S.OPEN,
    ),
    (
        "ycphos",
        "磷化工尾气碳捕集与利用示范",
        "environment",
        ["green_chem"],
        ["碳捕集", "碳中和"],
        "在合成氨装置开展二氧化碳捕集与资源化利用示范。",
        S.PENDING,
    ),
    (
        "gov",
        "应急救援无人机常态化巡检场景",
        "aerospace",
        ["smart_mfg"],
        ["无人机"],
        "为山区电力线路与森林防火提供无人机常态化巡检场景。",
        S.OPEN,
    ),
    (
        "gov",
        "社区老旧小区适老化改造试点",
        "urban",
        ["digital"],
        ["智慧城市"],
        "在 10 个老旧小区试点适老化改造与智慧养老服务。",
        S.DRAFT,
    ),
]


def load_scenarios(orgs: dict, published) -> int:
    """Scenarios in every status; open and closed ones with proposals from
    `published` achievements of their field."""
    today = timezone.localdate()
    now = timezone.now()
    for n, (key, title, field, industries, keywords, text, status) in enumerate(SCENARIOS):
        deadline = today + datetime.timedelta(days=-5 if status == S.CLOSED else 30 + 7 * n)
        scenario, _ = Scenario.objects.update_or_create(
            organization=orgs[key],
            title=title,
            defaults={
                "tech_field": field,
                "industries": industries,
                "keywords": keywords,
                "description": text,
                "deadline": deadline,
                "status": status,
                "submitted_at": None if status == S.DRAFT else now,
                "published_at": now - datetime.timedelta(days=10 + n)
                if status in (S.OPEN, S.CLOSED)
                else None,
            },
        )
        item_reindex(scenario)
        if status not in (S.OPEN, S.CLOSED):
            continue
        candidates = (
            published.filter(tech_field=field).exclude(organization=orgs[key]).order_by("id")[:3]
        )
        for achievement in candidates:
            Proposal.objects.get_or_create(
                scenario=scenario,
                achievement=achievement,
                defaults={
                    "organization": achievement.organization,
                    "note": f"{achievement.organization.name}拟以“{achievement.title}”"
                    f"参与本场景，可在三个月内完成部署验证。",
                },
            )
    return len(SCENARIOS)
