"""Demo events and investment for `load_demo`, dated from today: a Xiangyang
联百校转千果 session held yesterday (reporting its outcomes), a 鄂来投 session
open for registration, and a financing project in due diligence."""

import datetime

from django.utils import timezone

from accounts.models import User
from achievements.models import Achievement
from demands.models import Demand
from events import services
from events.models import FinancingProject, MatchingEvent


def load_events(orgs: dict) -> int:
    if MatchingEvent.objects.exists():
        return MatchingEvent.objects.count()
    organizer = User.objects.get(username="xyagency_member")
    enterprise = User.objects.get(username="xyauto_ent")
    university = User.objects.get(username="hbuas_officer")
    investor = User.objects.get(username="investor")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    held = services.event_create(
        by=organizer,
        data={
            "series": MatchingEvent.Series.LIANBAIXIAO,
            "title": "联百校转千果·襄阳汽车零部件专场（示范）",
            "description": "高校院所成果路演与企业需求发布，现场对接。",
            "city": "420600",
            "node_type": MatchingEvent.NodeType.SUB_MARKET,
            "format": MatchingEvent.Format.HYBRID,
            "topic_industries": ["nev", "smart_mfg"],
            "venue": "襄阳市科技馆报告厅",
            "starts_at": now - datetime.timedelta(days=1, hours=4),
            "ends_at": now - datetime.timedelta(days=1),
            "capacity": 120,
        },
    )
    services.event_act(event=held, by=organizer, action="open_registration")
    for person, role in ((enterprise, "enterprise"), (university, "university")):
        registration = services.event_register(
            event=held, by=person, role=role, organization=person.organization
        )
        services.registration_check_in(registration=registration, by=organizer, now=held.starts_at)
    held = services.event_act(event=held, by=organizer, action="start")
    achievement = Achievement.objects.filter(
        organization=orgs["hbuas"], status=Achievement.Status.PUBLISHED
    ).first()
    demand = Demand.objects.filter(
        organization=orgs["xyauto"], status=Demand.Status.PUBLISHED
    ).first()
    for subject in filter(None, (achievement, demand)):
        item = services.item_add(event=held, by=organizer, subject=subject)
        if subject is achievement:
            services.intent_record(
                item=item, by=enterprise, kind="license", amount_intended="500000.00"
            )
    services.event_act(event=held, by=organizer, action="conclude")
    upcoming = services.event_create(
        by=User.objects.get(username="staff_wuhan"),
        data={
            "organizer": orgs["agency"],
            "series": MatchingEvent.Series.ELAITOU,
            "title": "鄂来投·光谷科技成果投融资路演（示范）",
            "city": "420100",
            "node_type": MatchingEvent.NodeType.CENTRAL_MARKET,
            "format": MatchingEvent.Format.ONSITE,
            "topic_industries": ["optics_chips"],
            "venue": "湖北技术交易大市场路演厅",
            "starts_at": now + datetime.timedelta(days=10),
            "ends_at": now + datetime.timedelta(days=10, hours=5),
            "capacity": 200,
        },
    )
    services.event_act(
        event=upcoming, by=User.objects.get(username="staff_wuhan"), action="open_registration"
    )
    if not FinancingProject.objects.exists():
        project = services.project_create(
            by=enterprise,
            data={
                "title": "新能源汽车热管理系统扩产项目（示范）",
                "summary": "扩建热管理模块产线，年产 30 万套，寻求 A 轮股权融资。",
                "round": "A 轮",
                "amount_sought": "30000000.00",
                "industries": ["nev"],
            },
        )
        deal = services.deal_start(
            project=project, by=investor, instrument="equity", amount="10000000.00"
        )
        deal = services.deal_advance(deal=deal, by=investor, action="sign_nda")
        services.deal_advance(deal=deal, by=investor, action="start_due_diligence")
    return MatchingEvent.objects.count()
