import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from demands import services
from demands.models import Demand
from portal.core.errors import NotPermitted
from portal.core.models import AuditEntry
from tests.factories import DemandFactory, OrganizationFactory, StaffFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
VALID = {
    "title": "磷石膏综合利用技术需求",
    "description": "寻求磷石膏制备建材的成熟技术。",
    "tech_field": "environment",
    "industries": ["green_chem"],
    "keywords": ["磷石膏"],
    "budget_min": Decimal("100000.00"),
    "budget_max": Decimal("800000.00"),
    "deadline": TODAY + datetime.timedelta(days=30),
    "cooperation_modes": ["purchase"],
    "is_challenge": False,
    "reward": None,
}


@pytest.fixture
def enterprise():
    return OrganizationFactory(kind="enterprise", region_code="420506")


@pytest.fixture
def member(enterprise):
    return member_of(enterprise)


def test_only_enterprises_post_demands(member):
    assert services.demand_create(by=member, data=VALID).status == "draft"
    university = member_of(OrganizationFactory(kind="university"))
    with pytest.raises(NotPermitted):
        services.demand_create(by=university, data=VALID)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget_min": Decimal("900000"), "budget_max": Decimal("100000")}, "budget_max"),
        ({"budget_min": Decimal("-5")}, "budget_min"),
        ({"cooperation_modes": ["barter"]}, "cooperation_modes"),
        ({"cooperation_modes": []}, "cooperation_modes"),
        ({"is_challenge": True, "reward": None}, "reward"),
        ({"tech_field": ""}, "tech_field"),
    ],
)
def test_bad_demands_are_refused(member, change, field):
    with pytest.raises(ValidationError) as exc:
        services.demand_create(by=member, data={**VALID, **change})
    assert field in exc.value.message_dict
    assert not Demand.objects.exists()


def test_a_past_deadline_may_be_drafted_but_not_submitted(member):
    demand = services.demand_create(
        by=member, data={**VALID, "deadline": TODAY - datetime.timedelta(days=1)}
    )
    with pytest.raises(ValidationError) as exc:
        services.demand_submit(demand=demand, by=member)
    assert "deadline" in exc.value.message_dict
    demand.refresh_from_db()
    assert demand.status == "draft"


def test_submit_approve_close(member):
    demand = services.demand_create(by=member, data=VALID)
    services.demand_submit(demand=demand, by=member)
    services.demand_approve(demand=demand, by=StaffFactory())
    services.demand_close(demand=demand, by=member)
    demand.refresh_from_db()
    assert demand.status == "closed"


def test_the_daily_job_expires_published_demands_past_their_deadline(enterprise):
    late = DemandFactory(
        organization=enterprise, status="published", deadline=TODAY - datetime.timedelta(days=1)
    )
    today = DemandFactory(organization=enterprise, status="published", deadline=TODAY)
    draft = DemandFactory(
        organization=enterprise, status="draft", deadline=TODAY - datetime.timedelta(days=5)
    )
    from demands.tasks import demands_expire

    assert demands_expire.delay().get() == 1
    assert services.demands_expire() == 0  # idempotent
    statuses = {d.pk: d.status for d in Demand.objects.all()}
    assert statuses == {late.pk: "expired", today.pk: "published", draft.pk: "draft"}
    entry = AuditEntry.objects.get(to_status="expired")
    assert entry.actor is None and entry.object_id == str(late.pk)


def test_the_expiry_job_is_scheduled_daily(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["demands-expire"]
    assert schedule["task"] == "demands.tasks.demands_expire"
