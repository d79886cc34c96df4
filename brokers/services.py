"""The rules of the broker registry (MARKET.md §5.3–§5.4). Pages, the API and
the jobs call these; every change is audited in its transaction."""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import BrokerProfile, Organization
from accounts.permissions import acts_for, is_staff
from brokers.models import (
    LETTER,
    PREREQUISITE,
    Affiliation,
    AnnualAssessment,
    Broker,
    BrokerRules,
    Certificate,
    DealCredit,
    Enrollment,
    ExamResult,
    Level,
    TrainingCourse,
)
from contracts.models import Contract
from credit.models import Complaint
from market.common import next_number
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.workdays import years_later
from portal.core.workflow import apply_transition

# A mainland resident ID: 17 digits and a digit or X.
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
BASE_KINDS = (
    Organization.Kind.UNIVERSITY,
    Organization.Kind.INSTITUTE,
    Organization.Kind.AGENCY,
)
# The annual assessment's score [D]: deals 40, amount 20 (full at 1,000,000 yuan),
# continuing education 30, no upheld complaint 10; each upheld complaint costs 15.
FULL_DEALS = 4
FULL_AMOUNT = Decimal("1000000")
COMPLAINT_PENALTY = Decimal("15")
EXCELLENT, PASS = Decimal("85"), Decimal("60")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def id_digest(id_number: str) -> tuple[str, str]:
    """The keyed hash that finds a duplicate, and the mask that is shown."""
    value = (id_number or "").strip().upper()
    key = settings.ID_HASH_KEY or settings.SECRET_KEY
    digest = salted_hmac("brokers.id_number", value, secret=key, algorithm="sha256").hexdigest()
    return digest, f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def not_enrolled_message() -> str:
    return _("No broker with this ID number is enrolled in the course.")


def runs_base(user, organization_id) -> bool:
    """A member of the training base, or staff."""
    return is_staff(user) or acts_for(user, organization_id)


@transaction.atomic
def broker_apply(*, by, real_name: str, id_number: str) -> Broker:
    """A person enters the registry to be trained: real name and ID number
    (stored hashed, shown masked); one record per person."""
    errors: dict[str, list] = {}
    if not (real_name or "").strip():
        errors["real_name"] = [_("This field is required.")]
    value = (id_number or "").strip().upper()
    if not ID_NUMBER.match(value):
        errors["id_number"] = [_("Enter the 18-character resident ID number.")]
    if Broker.objects.filter(user=by).exists():
        errors["user"] = [_("You are in the registry already.")]
    if errors:
        raise RuleBroken(errors)
    digest, masked = id_digest(value)
    try:
        with transaction.atomic():
            broker = Broker.objects.create(
                user=by, real_name=real_name.strip()[:50], id_hash=digest, id_masked=masked
            )
    except IntegrityError:
        raise RuleBroken({"id_number": [_("This ID number is in the registry already.")]}) from None
    audit_log(action="brokers.broker.applied", actor=by, target=broker, to_status=broker.status)
    return broker


@transaction.atomic
def course_create(*, by, data: dict) -> TrainingCourse:
    """An accredited base (a verified university, institute or agency) or staff
    sets a course: the four modules' hours, at least the level's total."""
    base = data.get("base")
    _require(
        isinstance(base, Organization)
        and base.verified
        and base.kind in BASE_KINDS
        and runs_base(by, base.pk),
        _("Courses are set by a verified training base you act for, or by staff."),
    )
    rules = BrokerRules.current()
    errors: dict[str, list] = {}
    level = data.get("level")
    if level not in Level.values:
        errors["level"] = [_("Choose one of the listed values.")]
    hours = {}
    for field in ("hours_public", "hours_policy", "hours_practice", "hours_capability"):
        value = data.get(field)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
            errors[field] = [_("Enter the hours (0 to 1000).")]
        hours[field] = value
    if not errors:
        total = sum(hours.values())
        if total < rules.hours_for(level):
            errors["hours_public"] = [
                _("A %(level)s course has at least %(n)d hours; these add up to %(total)d.")
                % {"level": Level(level).label, "n": rules.hours_for(level), "total": total}
            ]
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, datetime.date) or not isinstance(ends, datetime.date):
        errors["starts_on"] = [_("Enter the dates.")]
    elif ends < starts:
        errors["ends_on"] = [_("The course ends after it starts.")]
    if not str(data.get("title", "")).strip():
        errors["title"] = [_("This field is required.")]
    if errors:
        raise RuleBroken(errors)
    course = TrainingCourse.objects.create(
        base=base,
        level=level,
        title=str(data["title"]).strip()[:200],
        total_hours=sum(hours.values()),
        starts_on=starts,
        ends_on=ends,
        created_by=by,
        **hours,
    )
    audit_log(action="brokers.trainingcourse.created", actor=by, target=course)
    return course


def valid_certificate(broker: Broker, level: str, on: datetime.date | None = None):
    on = on or timezone.localdate()
    return broker.certificates.filter(
        level=level, status=Certificate.Status.VALID, valid_until__gte=on
    ).first()


def _credits_since(broker: Broker, since: datetime.date | None = None) -> int:
    credits = broker.credits.all()
    if since is not None:
        credits = credits.filter(contract__registered_at__date__gte=since)
    return credits.count()


def _prerequisite_problem(broker: Broker, level: str, *, deals: bool = True) -> str:
    """Why the broker may not take this level yet (no skipping; with `deals`,
    the deal credits the level asks for too), or ""."""
    below = PREREQUISITE[level]
    if below is None:
        return ""
    rules = BrokerRules.current()
    if valid_certificate(broker, below) is None:
        return _("A %(level)s certificate needs a valid %(below)s certificate first.") % {
            "level": Level(level).label,
            "below": Level(below).label,
        }
    if not deals:
        return ""
    if level == Level.INTERMEDIATE and _credits_since(broker) < rules.intermediate_deals:
        return _("An intermediate certificate needs %(n)d registered deal credit.") % {
            "n": rules.intermediate_deals
        }
    if level == Level.SENIOR:
        since = timezone.localdate() - datetime.timedelta(days=3 * 365)
        if _credits_since(broker, since) < rules.senior_deals:
            return _("A senior certificate needs %(n)d registered deal credits in 3 years.") % {
                "n": rules.senior_deals
            }
    return ""


@transaction.atomic
def enrol(*, course: TrainingCourse, broker: Broker, by) -> Enrollment:
    """The broker (or the base) enrols in a course of the next level."""
    _require(
        by.pk == broker.user_id or runs_base(by, course.base_id),
        _("Only the broker and the training base can do this."),
    )
    if broker.status in (Broker.Status.REVOKED, Broker.Status.DEREGISTERED):
        raise TransitionNotAllowed(_("This broker is out of the registry."))
    problem = _prerequisite_problem(broker, course.level, deals=False)
    if problem:
        raise RuleBroken({"course": [problem]})
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(course=course, broker=broker)
    except IntegrityError:
        raise RuleBroken({"course": [_("Enrolled in this course already.")]}) from None
    audit_log(action="brokers.enrollment.created", actor=by, target=enrollment)
    if broker.status == Broker.Status.APPLICANT:
        apply_transition(broker, "enrol", by=by)
    return enrollment


@transaction.atomic
def attendance_record(*, enrollment: Enrollment, by, hours: int) -> Enrollment:
    """The base records the hours attended, never above the course's total;
    all of them complete the training."""
    enrollment = for_update(Enrollment.objects).select_related("course").get(pk=enrollment.pk)
    course = enrollment.course
    _require(runs_base(by, course.base_id), _("Only the training base can do this."))
    if not isinstance(hours, int) or isinstance(hours, bool) or hours < 0:
        raise RuleBroken({"hours": [_("Enter the hours attended.")]})
    if hours > course.total_hours:
        raise RuleBroken(
            {
                "hours": [
                    _("The course has %(n)d hours; %(hours)d were entered.")
                    % {"n": course.total_hours, "hours": hours}
                ]
            }
        )
    enrollment.attended_hours, enrollment.completed = hours, hours == course.total_hours
    enrollment.save(update_fields=["attended_hours", "completed"])
    audit_log(
        action="brokers.enrollment.attendance",
        actor=by,
        target=enrollment,
        data={"hours": hours, "completed": enrollment.completed},
    )
    broker = Broker.objects.get(pk=enrollment.broker_id)
    if enrollment.completed and broker.status == Broker.Status.IN_TRAINING:
        apply_transition(broker, "complete_training", by=by)
    return enrollment


@transaction.atomic
def exam_record(
    *, course: TrainingCourse, broker: Broker, by, exam_on: datetime.date, score: int
) -> ExamResult:
    """The base records an exam after the course ended, for a broker who
    completed it; retakes are limited within 12 months."""
    _require(runs_base(by, course.base_id), _("Only the training base can do this."))
    rules = BrokerRules.current()
    broker = for_update(Broker.objects).get(pk=broker.pk)
    errors: dict[str, list] = {}
    if not isinstance(exam_on, datetime.date):
        errors["exam_on"] = [_("Enter a date.")]
    elif exam_on < course.ends_on:
        errors["exam_on"] = [
            _("The exam follows the course, which ends on %(date)s.") % {"date": course.ends_on}
        ]
    elif exam_on > timezone.localdate():
        errors["exam_on"] = [_("The exam date is in the future.")]
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        errors["score"] = [_("Enter a score from 0 to 100.")]
    if not Enrollment.objects.filter(course=course, broker=broker, completed=True).exists():
        errors["broker"] = [_("Only a broker who attended every hour of the course sits its exam.")]
    if not errors:
        earlier = ExamResult.objects.filter(
            course__level=course.level,
            broker=broker,
            exam_on__gte=exam_on - datetime.timedelta(days=365),
        )
        if earlier.filter(passed=True).exists():
            errors["broker"] = [_("This broker passed this level's exam already.")]
        elif earlier.filter(passed=False).count() > rules.retakes:
            errors["broker"] = [
                _("No more retakes: %(n)d within 12 months.") % {"n": rules.retakes}
            ]
    if errors:
        raise RuleBroken(errors)
    exam = ExamResult.objects.create(
        course=course,
        broker=broker,
        exam_on=exam_on,
        score=score,
        passed=score >= rules.pass_mark,
        recorded_by=by,
    )
    audit_log(
        action="brokers.examresult.recorded",
        actor=by,
        target=exam,
        data={"score": score, "passed": exam.passed},
    )
    if not exam.passed and broker.status in Broker.TRANSITIONS["fail_exam"].sources:
        apply_transition(broker, "fail_exam", by=by)
    return exam


def _sync_profile(broker: Broker) -> None:
    """The account's broker profile follows the registry: present while the
    broker practises, with the highest valid certificate."""
    if broker.status not in Broker.PRACTISING:
        BrokerProfile.objects.filter(user_id=broker.user_id).delete()
        return
    certificate = (
        broker.certificates.filter(status=Certificate.Status.VALID).order_by("-issued_on").first()
    )
    if certificate is None:
        return
    BrokerProfile.objects.update_or_create(
        user_id=broker.user_id,
        defaults={"level": certificate.level, "certificate_number": certificate.number},
    )


@transaction.atomic
def certificate_issue(*, exam: ExamResult, by, override: str = "") -> Certificate:
    """The base issues the certificate of a passed exam: its gapless number,
    valid for the rules' years; the level below must be held (staff may
    override with a recorded reason)."""
    exam = ExamResult.objects.select_related("course", "broker").get(pk=exam.pk)
    course, broker = exam.course, for_update(Broker.objects).get(pk=exam.broker_id)
    _require(runs_base(by, course.base_id), _("Only the training base can do this."))
    if not exam.passed:
        raise RuleBroken({"exam": [_("Only a passed exam gets a certificate.")]})
    if Certificate.objects.filter(exam=exam).exists():
        raise TransitionNotAllowed(_("This exam's certificate is issued already."))
    problem = _prerequisite_problem(broker, course.level)
    override = (override or "").strip()
    if problem and not (override and is_staff(by)):
        raise RuleBroken({"exam": [problem]})
    rules = BrokerRules.current()
    today = timezone.localdate()
    certificate = Certificate.objects.create(
        broker=broker,
        level=course.level,
        number=next_number(
            f"broker-cert-{LETTER[course.level]}", f"HB-JJR-{LETTER[course.level]}", 6
        ),
        issuer=course.base,
        exam=exam,
        issued_on=today,
        valid_until=years_later(today, rules.certificate_years),
    )
    audit_log(
        action="brokers.certificate.issued",
        actor=by,
        target=certificate,
        reason=override if problem else "",
        data={"number": certificate.number, "level": certificate.level},
    )
    order = list(Level.values)
    changes = {}
    if not broker.level or order.index(course.level) > order.index(broker.level):
        changes["level"] = course.level
    if broker.status in Broker.TRANSITIONS["certify"].sources:
        broker = apply_transition(broker, "certify", by=by, changes=changes)
    elif changes:
        Broker.objects.filter(pk=broker.pk).update(**changes)
        broker.refresh_from_db()
    _sync_profile(broker)
    return certificate


@transaction.atomic
def certificate_file(*, certificate: Certificate, by, filing_number: str) -> Certificate:
    """Staff record the 火炬中心's unified number of an intermediate or senior
    certificate, once."""
    _require(is_staff(by), _("Only staff can do this."))
    certificate = for_update(Certificate.objects).get(pk=certificate.pk)
    number = (filing_number or "").strip()
    if certificate.level == Level.JUNIOR:
        raise RuleBroken({"filing_number": [_("Junior certificates are not filed nationally.")]})
    if certificate.filing_number:
        raise RuleBroken({"filing_number": [_("The national filing number is recorded already.")]})
    if not number:
        raise RuleBroken({"filing_number": [_("This field is required.")]})
    if Certificate.objects.filter(filing_number=number).exists():
        raise RuleBroken(
            {"filing_number": [_("This filing number belongs to another certificate.")]}
        )
    certificate.filing_number = number[:50]
    certificate.save(update_fields=["filing_number"])
    audit_log(
        action="brokers.certificate.filed", actor=by, target=certificate, data={"filing": number}
    )
    return certificate


def broker_register(*, broker: Broker, by) -> Broker:
    """Staff check the real name against the ID and register a certified broker."""
    _require(is_staff(by), _("Only staff can do this."))
    if not broker.id_hash:
        raise RuleBroken({"id_number": [_("The broker's ID number is not recorded yet.")]})
    with transaction.atomic():
        done = apply_transition(broker, "register", by=by)
        _sync_profile(done)
    return done


@transaction.atomic
def affiliation_declare(
    *, broker: Broker, agency: Organization, by, kind: str, starts_on: datetime.date
) -> Affiliation:
    """The agency (a member who acts for it) declares the broker it signed; at
    most one full-time affiliation at a time. A registered broker starts
    practising with it."""
    _require(acts_for(by, agency.pk) or is_staff(by), _("Only the agency can do this."))
    broker = for_update(Broker.objects).get(pk=broker.pk)
    errors: dict[str, list] = {}
    if agency.kind != Organization.Kind.AGENCY or not agency.verified:
        errors["agency"] = [_("Brokers sign with a verified technology transfer agency.")]
    if kind not in Affiliation.Kind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    if not isinstance(starts_on, datetime.date):
        errors["starts_on"] = [_("Enter a date.")]
    elif kind == Affiliation.Kind.FULL_TIME:
        overlapping = broker.affiliations.filter(kind=Affiliation.Kind.FULL_TIME).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        )
        if overlapping.exists():
            errors["kind"] = [_("The broker has a full-time affiliation already; end it first.")]
    if broker.status not in (*Broker.PRACTISING, Broker.Status.SUSPENDED):
        errors["broker"] = [_("Only a registered broker signs with an agency.")]
    if errors:
        raise RuleBroken(errors)
    affiliation = Affiliation.objects.create(
        broker=broker, agency=agency, kind=kind, starts_on=starts_on, created_by=by
    )
    audit_log(
        action="brokers.affiliation.declared",
        actor=by,
        target=affiliation,
        data={"agency": agency.pk, "kind": kind, "from": starts_on.isoformat()},
    )
    if broker.status == Broker.Status.REGISTERED:
        _sync_profile(apply_transition(broker, "activate", by=by))
    return affiliation


@transaction.atomic
def affiliation_end(*, affiliation: Affiliation, by, ends_on: datetime.date) -> Affiliation:
    affiliation = for_update(Affiliation.objects).get(pk=affiliation.pk)
    _require(
        acts_for(by, affiliation.agency_id) or is_staff(by) or by.pk == affiliation.broker.user_id,
        _("Only the agency, the broker and staff can do this."),
    )
    if affiliation.ends_on is not None:
        raise TransitionNotAllowed(_("This affiliation has ended already."))
    if not isinstance(ends_on, datetime.date) or ends_on < affiliation.starts_on:
        raise RuleBroken({"ends_on": [_("The affiliation ends after it starts.")]})
    affiliation.ends_on = ends_on
    affiliation.save(update_fields=["ends_on"])
    audit_log(
        action="brokers.affiliation.ended",
        actor=by,
        target=affiliation,
        data={"until": ends_on.isoformat()},
    )
    return affiliation


def _affiliated_on(broker: Broker, day: datetime.date):
    return (
        broker.affiliations.filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .first()
    )


@transaction.atomic
def credit_add(*, contract: Contract, broker: Broker, by, role: str, share) -> DealCredit:
    """A deal credit: only on a registered contract; the lead is the broker the
    contract names, an assistant signed with the same agency when it was
    signed; the shares of one contract never pass 100 %."""
    locked = for_update(Contract.objects).get(pk=contract.pk)
    errors: dict[str, list] = {}
    if locked.status != Contract.Status.REGISTERED:
        errors["contract"] = [_("Deal credits are given on registered contracts only.")]
    if role not in DealCredit.Role.values:
        errors["role"] = [_("Choose one of the listed values.")]
    try:
        share = Decimal(str(share))
    except ArithmeticError:
        share = None
    if share is None or not share.is_finite() or not Decimal("0.01") <= share <= 100:
        errors["share"] = [_("Enter a share from 0.01 to 100 (%).")]
    if errors:
        raise RuleBroken(errors)
    lead = Broker.objects.filter(user_id=locked.broker_id).first()
    affiliation = _affiliated_on(lead, locked.signed_on) if lead else None
    _require(
        is_staff(by) or (affiliation is not None and acts_for(by, affiliation.agency_id)),
        _("Only the named broker's agency and staff can do this."),
    )
    if lead is None:
        errors["contract"] = [_("The contract names no broker of the registry.")]
    elif role == DealCredit.Role.LEAD and broker.pk != lead.pk:
        errors["broker"] = [_("The lead is the broker the contract names.")]
    elif role == DealCredit.Role.ASSIST:
        own = _affiliated_on(broker, locked.signed_on)
        if (
            broker.pk == lead.pk
            or own is None
            or affiliation is None
            or (own.agency_id != affiliation.agency_id)
        ):
            errors["broker"] = [
                _("An assistant was signed with the named broker's agency when the contract was.")
            ]
    given = DealCredit.objects.filter(contract=locked).aggregate(s=Sum("share"))["s"] or 0
    if not errors and given + share > 100:
        errors["share"] = [
            _("The contract's shares would reach %(total)s %%; at most 100 %%.")
            % {"total": given + share}
        ]
    if errors:
        raise RuleBroken(errors)
    try:
        with transaction.atomic():
            credit = DealCredit.objects.create(
                broker=broker, contract=locked, role=role, share=share, created_by=by
            )
    except IntegrityError:
        raise RuleBroken(
            {"broker": [_("This broker has a credit on this contract already.")]}
        ) from None
    audit_log(
        action="brokers.dealcredit.created",
        actor=by,
        target=credit,
        data={"contract": locked.pk, "share": str(share), "role": role},
    )
    return credit


def assessment_figures(broker: Broker, year: int) -> dict:
    """The year's registered deals, their amount by share, continuing
    education hours and upheld complaints, and the score they make."""
    rules = BrokerRules.current()
    credits = broker.credits.filter(contract__registered_at__year=year).select_related("contract")
    deals = credits.count()
    amount = sum(
        (c.contract.tech_transaction_amount * c.share / 100 for c in credits), Decimal("0")
    ).quantize(Decimal("0.01"), ROUND_HALF_UP)
    ce = (
        broker.enrollments.filter(course__ends_on__year=year).aggregate(h=Sum("attended_hours"))[
            "h"
        ]
        or 0
    )
    complaints = Complaint.objects.filter(
        broker_id=broker.user_id, status=Complaint.Status.UPHELD, decided_at__year=year
    ).count()
    score = (
        Decimal(40) * min(deals, FULL_DEALS) / FULL_DEALS
        + Decimal(20) * min(amount / FULL_AMOUNT, Decimal(1))
        + Decimal(30) * min(Decimal(ce) / max(rules.ce_hours, 1), Decimal(1))
        + (Decimal(10) if complaints == 0 else Decimal(0))
        - COMPLAINT_PENALTY * complaints
    )
    score = max(score, Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    grade = (
        AnnualAssessment.Grade.EXCELLENT
        if score >= EXCELLENT
        else AnnualAssessment.Grade.PASS
        if score >= PASS
        else AnnualAssessment.Grade.FAIL
    )
    return {
        "deals_count": deals,
        "deal_amount": amount,
        "ce_hours": ce,
        "complaints_upheld": complaints,
        "score": score,
        "grade": grade,
    }


def assessments_run(*, year: int, by=None) -> int:
    """The annual assessment of every registered broker for a past year, once:
    不合格 suspends a practising broker; two in a row deregister."""
    if year >= timezone.localdate().year:
        raise RuleBroken({"year": [_("Assess a year that is over.")]})
    done = 0
    brokers = Broker.objects.filter(status__in=(*Broker.PRACTISING, Broker.Status.SUSPENDED))
    for broker in brokers.exclude(assessments__year=year):
        with transaction.atomic():
            figures = assessment_figures(broker, year)
            assessment = AnnualAssessment.objects.create(broker=broker, year=year, **figures)
            audit_log(
                action="brokers.annualassessment.created",
                actor=by,
                target=assessment,
                data={"score": str(figures["score"]), "grade": figures["grade"]},
            )
            if figures["grade"] == AnnualAssessment.Grade.FAIL:
                twice = broker.assessments.filter(
                    year=year - 1, grade=AnnualAssessment.Grade.FAIL
                ).exists()
                reason = _("Annual assessment %(year)d: fail") % {"year": year}
                if twice:
                    _sync_profile(apply_transition(broker, "deregister", by=by, reason=reason))
                elif broker.status == Broker.Status.ACTIVE:
                    _sync_profile(apply_transition(broker, "suspend", by=by, reason=reason))
            done += 1
    return done


STAFF_ACTIONS = ("suspend", "reinstate", "revoke", "deregister")


@transaction.atomic
def broker_act(*, broker: Broker, by, action: str, reason: str = "") -> Broker:
    """Staff suspend (a complaint under review), reinstate, revoke (fraud; an
    upheld serious complaint: the certificates are revoked) or deregister."""
    _require(is_staff(by), _("Only staff can do this."))
    if action not in STAFF_ACTIONS:
        raise RuleBroken({"action": [_("Unknown action.")]})
    reason = (reason or "").strip()
    if action != "reinstate" and not reason:
        raise RuleBroken({"reason": [_("Say why.")]})
    done = apply_transition(broker, action, by=by, reason=reason, changes={"reason": reason[:500]})
    if action == "revoke":
        for certificate in done.certificates.filter(status=Certificate.Status.VALID):
            apply_transition(certificate, "revoke", by=by, reason=reason)
    _sync_profile(done)
    return done


def certificates_expire(*, today: datetime.date | None = None) -> int:
    """The daily job: certificates past their validity expire; a practising
    broker left without a valid one expires too."""
    today = today or timezone.localdate()
    lapsed = Certificate.objects.filter(status=Certificate.Status.VALID, valid_until__lt=today)
    brokers = set(lapsed.values_list("broker_id", flat=True))
    count = 0
    for certificate in lapsed:
        apply_transition(certificate, "expire", by=None, reason=_("Certificate expired."))
        count += 1
    for broker in Broker.objects.filter(pk__in=brokers):
        if not broker.certificates.filter(status=Certificate.Status.VALID).exists():
            try:
                _sync_profile(
                    apply_transition(broker, "expire", by=None, reason=_("Certificate expired."))
                )
            except TransitionNotAllowed:
                continue
    return count
