"""Brokers in a chosen state, for the registry's tests and the audit walk."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from brokers import imports, services
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of

ID = "42010219900101123X"


def id_number(n: int) -> str:
    return f"420102199001{n:05d}X"[:17] + "X"


def base():
    org = OrganizationFactory(kind="university", region_code="420111")
    return org, member_of(org)


HOURS = {"junior": (12, 12, 12, 12), "intermediate": (16, 16, 16, 16), "senior": (20, 20, 20, 20)}


def course(base_org, by, level="junior", *, ended: bool = True, hours=None):
    hours = hours or HOURS[level]
    today = timezone.localdate()
    ends = today - datetime.timedelta(days=1) if ended else today + datetime.timedelta(days=10)
    return services.course_create(
        by=by,
        data={
            "base": base_org,
            "level": level,
            "title": f"{level} 技术经纪人培训班",
            "hours_public": hours[0],
            "hours_policy": hours[1],
            "hours_practice": hours[2],
            "hours_capability": hours[3],
            "starts_on": ends - datetime.timedelta(days=20),
            "ends_on": ends,
        },
    )


_n = iter(range(1, 100000))


def applicant(user=None):
    user = user or UserFactory()
    return services.broker_apply(by=user, real_name="李明", id_number=id_number(next(_n)))


def certified(level="junior", broker=None):
    """A broker with a passed exam and the level's certificate (and those below)."""
    base_org, officer = base()
    broker = broker or applicant()
    for step in ("junior", "intermediate", "senior"):
        run = course(base_org, officer, step)
        enrollment = services.enrol(course=run, broker=broker, by=broker.user)
        services.attendance_record(enrollment=enrollment, by=officer, hours=run.total_hours)
        exam = services.exam_record(
            course=run, broker=broker, by=officer, exam_on=timezone.localdate(), score=80
        )
        if step == "junior":
            services.certificate_issue(exam=exam, by=officer)
        else:  # the deal credits the level asks for: waived by staff, with a reason
            services.certificate_issue(exam=exam, by=StaffFactory(), override="业绩材料另行核验")
        if step == level:
            break
    broker.refresh_from_db()
    return broker


def practising(agency=None):
    """A registered broker signed full-time with an agency: (broker, agency, agency member)."""
    broker = certified()
    staff = StaffFactory()
    services.broker_register(broker=broker, by=staff)
    agency = agency or OrganizationFactory(kind="agency", region_code="420111")
    boss = member_of(agency)
    services.affiliation_declare(
        broker=broker,
        agency=agency,
        by=boss,
        kind="full_time",
        starts_on=timezone.localdate() - datetime.timedelta(days=400),
    )
    broker.refresh_from_db()
    return broker, agency, boss


def workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(imports.HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("results.xlsx", buffer.getvalue())


def enrolled(course, n: int):
    people = []
    for k in range(n):
        number = id_number(90000 + k)
        broker = services.broker_apply(by=UserFactory(), real_name=f"学员{k}", id_number=number)
        services.enrol(course=course, broker=broker, by=broker.user)
        people.append((broker, number))
    return people
