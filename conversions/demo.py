"""A demo conversion project for `load_demo`: the Wuhan enterprise that bought
a listed achievement brings it to the library by the fast lane (its contract
is registered), and the project is recognised — every step through the
services (the demo's clock moves the publicity's end)."""

import datetime

from django.utils import timezone

from accounts.models import User
from contracts.models import Contract
from conversions import services
from conversions.models import ConversionProject
from publicity.models import Publicity
from publicity.selectors import current


def load_conversions(orgs: dict) -> int:
    if ConversionProject.objects.exists():
        return ConversionProject.objects.count()
    buyer = User.objects.get(username="optic_ent")
    contract = (
        Contract.objects.filter(
            buyer=orgs["optic"],
            status=Contract.Status.REGISTERED,
            pricing_method=Contract.PricingMethod.LISTING,
        )
        .order_by("id")
        .first()
    )
    if contract is None:
        return 0
    staff = User.objects.get(username="staff_wuhan")
    today = timezone.localdate()
    project = services.project_create(
        by=buyer,
        data={
            "name": "石墨烯散热膜在 5G 基站中的产业化（示范）",
            "product_name": "5G 基站用石墨烯散热膜",
            "tech_field": contract.tech_field,
            "stage": "small_batch",
            "ip_items": [
                {
                    "type": "invention",
                    "number": "ZL202410000888.8（示范）",
                    "date": today - datetime.timedelta(days=300),
                    "holder": orgs["whu"].name,
                    "exclusive": True,
                    "worldwide": True,
                    "years": 10,
                }
            ],
            "test_reports": [
                {
                    "agency": "湖北某检测研究院（示范）",
                    "accreditation": "CMA 1234",
                    "number": "JC-1",
                }
            ],
            "source": "listing_deal",
            "contract": contract,
            "expected_revenue": "12000000.00",
        },
    )
    project = services.project_submit(project=project, by=buyer)
    project = services.formal_check(project=project, by=staff, passed=True)  # the fast lane
    Publicity.objects.filter(pk=current(project, Publicity.Kind.RECOGNITION).pk).update(
        starts_on=today - datetime.timedelta(days=10), ends_on=today - datetime.timedelta(days=2)
    )
    services.project_recognize(project=project, by=staff)
    return ConversionProject.objects.count()
