"""Demo transfer agencies for `load_demo`: the two demo agencies filed, with
last year's evaluation scored, publicised and final — every step through the
services (the demo's clock moves the publicity's end)."""

import datetime

from django.utils import timezone

from accounts.models import User
from agencies import services
from agencies.models import Agency
from publicity.models import Publicity
from publicity.selectors import current


def load_agencies(orgs: dict) -> int:
    if Agency.objects.exists():
        return Agency.objects.count()
    staff = User.objects.get(username="staff_wuhan")
    year = timezone.localdate().year - 1
    filed = []
    for username, founded, staff_n in (("broker", 2015, 36), ("xyagency_member", 2019, 14)):
        person = User.objects.get(username=username)
        agency = services.agency_file(
            by=person,
            data={
                "kind": "independent",
                "founded_on": datetime.date(founded, 6, 1),
                "premises": f"{person.organization.name}办公场所（示范）",
                "fulltime_staff": staff_n,
            },
        )
        filed.append(services.agency_register(agency=agency, by=staff))
    round_ = services.round_open(by=staff, year=year, evaluator="湖北某第三方评估机构（示范）")
    for agency, scores in zip(filed, ((92, 88, 85, 90, 95), (80, 70, 65, 75, 85)), strict=True):
        services.evaluate(
            round=round_,
            agency=agency,
            by=staff,
            data={"scores": dict(zip(round_.weights, scores, strict=True))},
        )
    round_ = services.round_publish(round=round_, by=staff)
    today = timezone.localdate()
    Publicity.objects.filter(pk=current(round_, Publicity.Kind.EVALUATION).pk).update(
        starts_on=today - datetime.timedelta(days=12), ends_on=today - datetime.timedelta(days=4)
    )
    services.round_finalize(round=round_, by=staff)
    return Agency.objects.count()
