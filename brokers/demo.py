"""Demo broker registry for `load_demo`: the demo broker carried into the
registry as the migration carries existing accounts, and a Xiangyang agency
member trained by 武汉大学's base, examined, certified, registered and signed
full-time — every step through the services."""

import datetime

from django.utils import timezone

from accounts.models import BrokerProfile, User
from brokers import services
from brokers.models import Affiliation, Broker, Certificate
from portal.core.workdays import years_later

DEMO_ID = "42060219880512003X"


def _carry_over_demo_broker() -> None:
    profile = BrokerProfile.objects.select_related("user").filter(user__username="broker").first()
    if profile is None or Broker.objects.filter(user=profile.user).exists():
        return
    user = profile.user
    broker = Broker.objects.create(
        user=user, real_name="张立新", level=profile.level, status=Broker.Status.ACTIVE
    )
    issued = timezone.localdate() - datetime.timedelta(days=300)
    Certificate.objects.create(
        broker=broker,
        level=profile.level,
        number=profile.certificate_number,
        issued_on=issued,
        valid_until=years_later(issued, 3),
    )
    Affiliation.objects.create(
        broker=broker,
        agency=user.organization,
        kind=Affiliation.Kind.FULL_TIME,
        starts_on=issued,
        created_by=user,
    )


def load_brokers(orgs: dict) -> int:
    _carry_over_demo_broker()
    trainee = User.objects.get(username="xyagency_member")
    if Broker.objects.filter(user=trainee).exists():
        return Broker.objects.count()
    officer, staff = (
        User.objects.get(username="whu_officer"),
        User.objects.get(username="staff_wuhan"),
    )
    today = timezone.localdate()
    course = services.course_create(
        by=officer,
        data={
            "base": orgs["whu"],
            "level": "junior",
            "title": "初级技术经纪人培训班（示范）",
            "hours_public": 12,
            "hours_policy": 12,
            "hours_practice": 16,
            "hours_capability": 8,
            "starts_on": today - datetime.timedelta(days=40),
            "ends_on": today - datetime.timedelta(days=10),
        },
    )
    broker = services.broker_apply(by=trainee, real_name="刘洋", id_number=DEMO_ID)
    enrollment = services.enrol(course=course, broker=broker, by=trainee)
    services.attendance_record(enrollment=enrollment, by=officer, hours=course.total_hours)
    exam = services.exam_record(
        course=course,
        broker=broker,
        by=officer,
        exam_on=today - datetime.timedelta(days=7),
        score=82,
    )
    services.certificate_issue(exam=exam, by=officer)
    broker.refresh_from_db()
    services.broker_register(broker=broker, by=staff)
    services.affiliation_declare(
        broker=broker,
        agency=orgs["xyagency"],
        by=trainee,
        kind=Affiliation.Kind.FULL_TIME,
        starts_on=today - datetime.timedelta(days=5),
    )
    # A second course, upcoming, for visitors to enrol in.
    services.course_create(
        by=officer,
        data={
            "base": orgs["whu"],
            "level": "junior",
            "title": "初级技术经纪人培训班（示范，第二期）",
            "hours_public": 12,
            "hours_policy": 12,
            "hours_practice": 16,
            "hours_capability": 8,
            "starts_on": today + datetime.timedelta(days=20),
            "ends_on": today + datetime.timedelta(days=50),
        },
    )
    return Broker.objects.count()
