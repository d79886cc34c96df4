"""Events in a chosen state, for the events tests and the audit walk."""

import datetime

from django.utils import timezone

from events import services
from events.models import FinancingProject
from tests.factories import OrganizationFactory, StaffFactory, member_of
from tests.files import PDF, upload

STEPS = {
    "planned": [],
    "registration_open": ["open_registration"],
    "ongoing": ["open_registration", "start"],
    "outcomes_reporting": ["open_registration", "start", "conclude"],
}


def data(**extra) -> dict:
    now = timezone.now()
    return {
        "series": "lianbaixiao",
        "title": "联百校转千果·襄阳专场",
        "city": "420600",
        "node_type": "sub_market",
        "format": "onsite",
        "topic_industries": ["nev"],
        "starts_at": now + datetime.timedelta(hours=2),
        "ends_at": now + datetime.timedelta(hours=6),
        "capacity": 50,
        **extra,
    }


def organizer():
    """A verified technology transfer agency of Xiangyang and one of its members."""
    agency = OrganizationFactory(kind="agency", region_code="420602")
    return agency, member_of(agency)


def event(status: str = "planned", **extra):
    _agency, person = organizer()
    made = services.event_create(by=person, data=data(**extra))
    for action in STEPS[status]:
        made = services.event_act(event=made, by=person, action=action)
    made.refresh_from_db()
    return made, person


def registered(event, kind: str = "enterprise"):
    """A member of a new verified organisation, registered for it."""
    org = OrganizationFactory(kind=kind, region_code="420111")
    person = member_of(org)
    services.event_register(event=event, by=person, role=kind, organization=org)
    return org, person


def investor():
    org = OrganizationFactory(kind="investor", region_code="420111")
    return org, member_of(org)


def project(owner=None) -> FinancingProject:
    owner = owner or member_of(OrganizationFactory(kind="enterprise", region_code="420111"))
    return services.project_create(
        by=owner,
        data={"title": "固态电池中试线", "summary": "扩产", "amount_sought": "20000000.00"},
    )


def closed_deal(subject=None):
    """A closed deal, with its signed agreement, on the project (a new one by default)."""
    subject = subject or project()
    _org, person = investor()
    deal = services.deal_start(project=subject, by=person, instrument="equity", amount="5000000.00")
    owner = member_of(subject.organization)
    for step in ("sign_nda", "start_due_diligence", "agree_term_sheet", "sign"):
        deal = services.deal_advance(deal=deal, by=person, action=step)
    deal = services.deal_advance(
        deal=deal, by=owner, action="close", document=upload("投资协议.pdf", PDF)
    )
    return deal, person


def staff():
    return StaffFactory()
