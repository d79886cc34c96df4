"""Conversion projects in a chosen state, for their tests and the audit walk."""

import datetime

from django.utils import timezone

from conversions import services
from publicity.models import Publicity
from publicity.selectors import current
from tests.factories import OrganizationFactory, StaffFactory, member_of

_numbers = iter(range(1, 10**6))


def data(**extra) -> dict:
    """A complete application; each with its own patent number unless given."""
    today = timezone.localdate()
    return {
        "name": "高导热石墨烯散热膜产业化",
        "product_name": "石墨烯散热膜",
        "tech_field": "materials",
        "stage": "small_batch",
        "ip_items": [
            {
                "type": "invention",
                "number": f"ZL2023{next(_numbers):08d}.1",
                "date": today - datetime.timedelta(days=400),
            }
        ],
        "test_reports": [
            {
                "agency": "湖北省产品质量监督检验研究院",
                "accreditation": "CNAS L0001",
                "number": "R-1",
            }
        ],
        "source": "own_rd",
        "expected_revenue": "5000000.00",
        **extra,
    }


def applicant():
    org = OrganizationFactory(kind="enterprise", region_code="420111")
    return org, member_of(org)


def project(status: str = "draft", **extra):
    _org, person = applicant()
    made = services.project_create(by=person, data=data(**extra))
    staff = StaffFactory()
    if status == "draft":
        return made, person, staff
    made = services.project_submit(project=made, by=person)
    if status == "formal_review":
        return made, person, staff
    made = services.formal_check(project=made, by=staff, passed=True)
    if status == "expert_review":
        return made, person, staff
    made = services.expert_review(project=made, by=staff, passed=True, opinion="技术先进")
    if status == "publicity":
        return made, person, staff
    Publicity.objects.filter(pk=current(made, Publicity.Kind.RECOGNITION).pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    return services.project_recognize(project=made, by=staff), person, staff
