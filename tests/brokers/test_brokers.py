"""The broker registry (issue 20, point 1): training, exams, certificates with
gapless numbers and the national filing number apart, affiliations, deal
credits on registered contracts, the annual assessment, the state machine."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts.models import BrokerProfile
from brokers import selectors, services
from brokers.models import AnnualAssessment, Broker, Certificate, DealCredit
from contracts.models import Contract
from portal.core.errors import NotPermitted, RuleBroken
from tests.brokers import flow
from tests.factories import (
    ContractFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def test_one_person_one_record_the_id_number_hashed_and_masked():
    broker = services.broker_apply(by=UserFactory(), real_name="李明", id_number=flow.ID)
    assert broker.id_masked == "4201**********123X" and broker.status == Broker.Status.APPLICANT
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM brokers_broker WHERE id = %s", [broker.pk])
        assert flow.ID not in " ".join(str(v) for v in cursor.fetchone())
    with pytest.raises(RuleBroken) as exc:  # the same ID for someone else
        services.broker_apply(by=UserFactory(), real_name="李明", id_number=flow.ID.lower())
    assert "id_number" in exc.value.message_dict
    with pytest.raises(RuleBroken):
        services.broker_apply(by=UserFactory(), real_name="王五", id_number="12345")
    assert Broker.objects.count() == 1


def test_a_course_has_the_levels_hours_and_ends_after_it_starts():
    base, officer = flow.base()
    with pytest.raises(RuleBroken) as exc:  # 40 < 48 junior hours
        flow.course(base, officer, hours=(10, 10, 10, 10))
    assert "48" in str(exc.value.messages)
    with pytest.raises(NotPermitted):
        flow.course(base, member_of(OrganizationFactory(kind="enterprise")))
    made = flow.course(base, officer, "intermediate", hours=(16, 16, 16, 16))
    assert made.total_hours == 64


def test_training_then_the_exam_after_the_course_then_certificates_in_sequence():
    base, officer = flow.base()
    run = flow.course(base, officer)
    broker = flow.applicant()
    enrollment = services.enrol(course=run, broker=broker, by=broker.user)
    broker.refresh_from_db()
    assert broker.status == Broker.Status.IN_TRAINING
    with pytest.raises(RuleBroken):  # more hours than the course has
        services.attendance_record(enrollment=enrollment, by=officer, hours=run.total_hours + 1)
    with pytest.raises(RuleBroken):  # the exam needs every hour attended
        services.exam_record(
            course=run, broker=broker, by=officer, exam_on=timezone.localdate(), score=90
        )
    services.attendance_record(enrollment=enrollment, by=officer, hours=run.total_hours)
    broker.refresh_from_db()
    assert broker.status == Broker.Status.TRAINING_COMPLETED
    with pytest.raises(RuleBroken) as exc:  # before the course ends
        services.exam_record(
            course=run,
            broker=broker,
            by=officer,
            exam_on=run.ends_on - datetime.timedelta(days=1),
            score=90,
        )
    assert "exam_on" in exc.value.message_dict
    failed = services.exam_record(
        course=run, broker=broker, by=officer, exam_on=timezone.localdate(), score=59
    )
    broker.refresh_from_db()
    assert not failed.passed and broker.status == Broker.Status.EXAM_FAILED
    with pytest.raises(RuleBroken):
        services.certificate_issue(exam=failed, by=officer)
    passed = services.exam_record(
        course=run, broker=broker, by=officer, exam_on=timezone.localdate(), score=60
    )
    first = services.certificate_issue(exam=passed, by=officer)
    year = timezone.localdate().year
    assert first.number == f"HB-JJR-C-{year}-000001"
    assert first.valid_until == timezone.localdate().replace(year=year + 3)
    second = flow.certified()
    assert second.certificates.get().number == f"HB-JJR-C-{year}-000002"
    broker.refresh_from_db()
    assert broker.status == Broker.Status.CERTIFIED and broker.level == "junior"


def test_retakes_are_limited_within_twelve_months():
    base, officer = flow.base()
    run = flow.course(base, officer)
    broker = flow.applicant()
    enrollment = services.enrol(course=run, broker=broker, by=broker.user)
    services.attendance_record(enrollment=enrollment, by=officer, hours=run.total_hours)
    for _ in range(3):  # the first sitting and two retakes
        services.exam_record(
            course=run, broker=broker, by=officer, exam_on=timezone.localdate(), score=10
        )
    with pytest.raises(RuleBroken):
        services.exam_record(
            course=run, broker=broker, by=officer, exam_on=timezone.localdate(), score=99
        )


def test_no_level_is_skipped_and_an_override_is_staffs_with_a_reason():
    base, officer = flow.base()
    broker = flow.certified("junior")
    with pytest.raises(RuleBroken) as exc:  # senior without intermediate
        services.enrol(
            course=flow.course(base, officer, "senior", hours=(20, 20, 20, 20)),
            broker=broker,
            by=broker.user,
        )
    assert "中级技术经纪人" in " ".join(exc.value.messages)
    middle = flow.course(base, officer, "intermediate", hours=(16, 16, 16, 16))
    enrollment = services.enrol(course=middle, broker=broker, by=broker.user)
    services.attendance_record(enrollment=enrollment, by=officer, hours=middle.total_hours)
    exam = services.exam_record(
        course=middle, broker=broker, by=officer, exam_on=timezone.localdate(), score=88
    )
    with pytest.raises(RuleBroken):  # intermediate without a registered deal credit
        services.certificate_issue(exam=exam, by=officer)
    with pytest.raises(RuleBroken):  # a base's override does not count
        services.certificate_issue(exam=exam, by=officer, override="特批")
    assert (
        services.certificate_issue(exam=exam, by=StaffFactory(), override="特批").level
        == "intermediate"
    )
    senior = flow.certified("senior")  # through staff-style overrides in the flow
    assert senior.level == "senior"
    assert senior.certificates.filter(status="valid").count() == 3


def test_the_national_filing_number_is_kept_apart_once():
    broker = flow.certified("intermediate")
    staff = StaffFactory()
    junior = broker.certificates.get(level="junior")
    middle = broker.certificates.get(level="intermediate")
    assert middle.number.startswith("HB-JJR-Z-")
    with pytest.raises(RuleBroken):
        services.certificate_file(certificate=junior, by=staff, filing_number="GJ-001")
    services.certificate_file(certificate=middle, by=staff, filing_number="GJ-001")
    with pytest.raises(RuleBroken):  # never overwritten
        services.certificate_file(certificate=middle, by=staff, filing_number="GJ-002")
    other = flow.certified("intermediate").certificates.get(level="intermediate")
    with pytest.raises(RuleBroken):  # a reused number
        services.certificate_file(certificate=other, by=staff, filing_number="GJ-001")
    middle.refresh_from_db()
    assert middle.filing_number == "GJ-001" and middle.number.startswith("HB-JJR-Z-")


def test_registration_and_an_agencys_affiliation_make_a_practising_broker():
    broker, _agency, boss = flow.practising()
    assert broker.status == Broker.Status.ACTIVE
    profile = BrokerProfile.objects.get(user=broker.user)
    assert profile.certificate_number == broker.certificates.get().number
    with pytest.raises(RuleBroken):  # a second full-time affiliation overlapping the first
        services.affiliation_declare(
            broker=broker,
            agency=OrganizationFactory(kind="agency"),
            by=StaffFactory(),
            kind="full_time",
            starts_on=timezone.localdate(),
        )
    services.affiliation_declare(
        broker=broker,
        agency=OrganizationFactory(kind="agency"),
        by=StaffFactory(),
        kind="part_time",
        starts_on=timezone.localdate(),
    )
    with pytest.raises(NotPermitted):  # an agency that did not sign them
        services.affiliation_declare(
            broker=broker,
            agency=OrganizationFactory(kind="agency"),
            by=member_of(OrganizationFactory()),
            kind="part_time",
            starts_on=timezone.localdate(),
        )
    current = broker.affiliations.get(kind="full_time")
    services.affiliation_end(affiliation=current, by=boss, ends_on=timezone.localdate())
    services.affiliation_declare(
        broker=broker,
        agency=OrganizationFactory(kind="agency"),
        by=StaffFactory(),
        kind="full_time",
        starts_on=timezone.localdate() + datetime.timedelta(days=1),
    )


def registered_contract(broker, **kw):
    contract = ContractFactory(
        broker=broker.user,
        tech_transaction_amount=kw.get("amount", "800000.00"),
        signed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    Contract.objects.filter(pk=contract.pk).update(
        status=kw.get("status", Contract.Status.REGISTERED), registered_at=timezone.now()
    )
    contract.refresh_from_db()
    return contract


def test_deal_credits_on_registered_contracts_naming_the_broker_up_to_100_percent():
    lead, agency, boss = flow.practising()
    helper, _agency, _boss = flow.practising(agency=agency)
    stranger, _other, _b = flow.practising()
    draft = registered_contract(lead, status=Contract.Status.SUBMITTED)
    with pytest.raises(RuleBroken) as exc:
        services.credit_add(contract=draft, broker=lead, by=boss, role="lead", share=100)
    assert "contract" in exc.value.message_dict
    contract = registered_contract(lead)
    with pytest.raises(RuleBroken):  # the lead is the broker the contract names
        services.credit_add(contract=contract, broker=helper, by=boss, role="lead", share=50)
    services.credit_add(contract=contract, broker=lead, by=boss, role="lead", share=70)
    with pytest.raises(RuleBroken) as exc:  # 70 + 40 > 100
        services.credit_add(contract=contract, broker=helper, by=boss, role="assist", share=40)
    assert "share" in exc.value.message_dict
    with pytest.raises(RuleBroken):  # an assistant of another agency
        services.credit_add(
            contract=contract, broker=stranger, by=StaffFactory(), role="assist", share=10
        )
    services.credit_add(contract=contract, broker=helper, by=boss, role="assist", share=30)
    assert DealCredit.objects.filter(contract=contract).count() == 2
    with pytest.raises(NotPermitted):
        services.credit_add(
            contract=registered_contract(lead),
            broker=lead,
            by=member_of(OrganizationFactory()),
            role="lead",
            share=100,
        )


def test_the_annual_assessment_grades_and_two_fails_deregister():
    busy, _agency, boss = flow.practising()
    idle, _a, _b = flow.practising()
    year = timezone.localdate().year - 1
    for _ in range(4):
        contract = registered_contract(busy, amount="500000.00")
        Contract.objects.filter(pk=contract.pk).update(
            registered_at=timezone.now().replace(year=year)
        )
        services.credit_add(contract=contract, broker=busy, by=boss, role="lead", share=100)
    with pytest.raises(RuleBroken):  # a year that is not over
        services.assessments_run(year=year + 1)
    assert services.assessments_run(year=year) == 2
    good = AnnualAssessment.objects.get(broker=busy, year=year)
    assert (good.deals_count, good.deal_amount) == (4, Decimal("2000000.00"))
    assert good.score == Decimal("70.00") and good.grade == "pass"  # no CE hours: 40 + 20 + 10
    bad = AnnualAssessment.objects.get(broker=idle, year=year)
    assert bad.grade == "fail"
    idle.refresh_from_db()
    assert idle.status == Broker.Status.SUSPENDED
    assert not BrokerProfile.objects.filter(user=idle.user).exists()
    assert services.assessments_run(year=year) == 0  # once a year
    AnnualAssessment.objects.filter(broker=idle).update(year=year - 1)
    services.assessments_run(year=year)
    idle.refresh_from_db()
    assert idle.status == Broker.Status.DEREGISTERED


def test_an_expired_certificate_does_not_stay_active():
    broker, _agency, _boss = flow.practising()
    Certificate.objects.filter(broker=broker).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert services.certificates_expire() == 1
    broker.refresh_from_db()
    assert broker.status == Broker.Status.EXPIRED
    assert not BrokerProfile.objects.filter(user=broker.user).exists()


def test_existing_broker_accounts_migrate_into_the_registry():
    from tests.factories import BrokerFactory

    old = BrokerFactory()
    Broker.objects.filter(user=old).delete()
    call_command("migrate", "brokers", "0001", verbosity=0)
    call_command("migrate", "brokers", verbosity=0)
    carried = Broker.objects.get(user=old)
    assert carried.status == Broker.Status.ACTIVE and carried.level == old.broker_profile.level
    assert carried.certificates.get().number == old.broker_profile.certificate_number
    assert carried.affiliations.get().agency == old.organization


def test_monitoring_counts_certified_brokers_by_market():
    flow.certified()
    counts = selectors.certified_by_market()
    assert sum(counts.values()) == 1


# --- pages and API --------------------------------------------------------------------------


def test_the_public_registry_lists_practising_brokers_without_their_id(client, api):
    broker, agency, _boss = flow.practising()
    flow.applicant()  # not certified: not listed
    page = client.get("/brokers/")
    text = page.content.decode()
    assert page.status_code == 200 and text.count('data-testid="broker"') == 1
    assert broker.certificates.get().number in text and agency.name in text
    assert broker.id_masked not in text
    detail = client.get(broker.get_absolute_url()).content.decode()
    assert broker.id_masked not in detail  # masked, and only to the broker and staff
    client.force_login(broker.user)
    assert broker.id_masked in client.get(broker.get_absolute_url()).content.decode()
    rows = api.get("/api/v1/brokers/").json()["results"]
    assert [(r["name"], r["level"], r["agency"], r["status"]) for r in rows] == [
        ("李明", "junior", agency.name, "active")
    ]
    assert rows[0]["certificate_number"].startswith("HB-JJR-C-")
    assert api.get("/api/v1/brokers/", {"level": "senior"}).json()["count"] == 0
    assert client.get("/brokers/", {"q": "王"}).content.decode().count('data-testid="broker"') == 0
    hidden = flow.applicant()
    assert client.get(hidden.get_absolute_url()).status_code == 404  # only one's own


def test_apply_and_a_bases_course_page_record_attendance_and_exams(client):
    user = UserFactory()
    client.force_login(user)
    bad = client.post("/brokers/apply/", {"real_name": "李明", "id_number": "123"})
    assert bad.status_code == 200 and not Broker.objects.exists()
    client.post("/brokers/apply/", {"real_name": "李明", "id_number": flow.ID})
    broker = Broker.objects.get(user=user)
    base, officer = flow.base()
    course = flow.course(base, officer)
    client.post(f"/brokers/courses/{course.pk}/enrol/")
    enrollment = broker.enrollments.get()
    client.post(f"/brokers/enrollments/{enrollment.pk}/", {"hours": "99"})  # refused, by the broker
    enrollment.refresh_from_db()
    assert enrollment.attended_hours == 0
    client.force_login(officer)
    client.post(f"/brokers/enrollments/{enrollment.pk}/", {"hours": "99"})  # above the course's 48
    enrollment.refresh_from_db()
    assert enrollment.attended_hours == 0
    client.post(f"/brokers/enrollments/{enrollment.pk}/", {"hours": "48"})
    client.post(
        f"/brokers/enrollments/{enrollment.pk}/",
        {"exam_on": timezone.localdate().isoformat(), "score": "75"},
    )
    exam = broker.exams.get()
    client.post(f"/brokers/exams/{exam.pk}/certificate/")
    broker.refresh_from_db()
    assert broker.status == Broker.Status.CERTIFIED
    assert (
        broker.certificates.get().number
        in client.get(f"/brokers/courses/{course.pk}/").content.decode()
    )
