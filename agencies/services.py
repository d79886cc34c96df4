"""The rules of transfer agencies (MARKET.md §6.3): record-filing, annual
reports filled from registered contracts, evaluation rounds, grades and their
publicity. Every change is audited."""

from __future__ import annotations

import datetime
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.permissions import acts_for, in_scope, is_central
from agencies.models import DEFAULT_WEIGHTS, Agency, AgencyReport, Evaluation, EvaluationRound
from contracts.models import Contract
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.workflow import apply_transition
from publicity.models import Publicity
from publicity.selectors import blocking, current
from publicity.services import publicity_open

MIN_AGE_YEARS = 2  # an agency is evaluated after two years [S35]
EXCELLENT, PASS = Decimal("85"), Decimal("60")
EXCELLENT_SHARE = Decimal("0.20")  # at most the round's top 20 % are 优秀 [D]
PUBLICITY_DAYS = 7  # calendar days [S41 analogue]
AGENCY_HOSTS = (Organization.Kind.AGENCY, Organization.Kind.UNIVERSITY, Organization.Kind.INSTITUTE)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _whole(value, field: str, errors: dict) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        errors[field] = [_("Enter a whole number.")]
        return None
    return value


def _yuan(value, field: str, errors: dict) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > Decimal("1e13"):
        errors[field] = [_("Enter an amount in yuan (zero or more).")]
        return None
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def agency_file(*, by, data: dict) -> Agency:
    """An agency (or a university's or institute's internal unit) files its
    record, through a member who acts for the verified organisation."""
    org = getattr(by, "organization", None)
    _require(
        org is not None and org.verified and org.kind in AGENCY_HOSTS and acts_for(by, org.pk),
        _("A verified agency, university or institute you act for files the record."),
    )
    errors: dict[str, list] = {}
    if data.get("kind") not in Agency.Kind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    founded = data.get("founded_on")
    if not isinstance(founded, datetime.date) or founded > timezone.localdate():
        errors["founded_on"] = [_("Enter the date the agency was founded.")]
    if not str(data.get("premises", "")).strip():
        errors["premises"] = [_("This field is required.")]
    staff = _whole(data.get("fulltime_staff"), "fulltime_staff", errors)
    if errors:
        raise RuleBroken(errors)
    try:
        with transaction.atomic():
            agency = Agency.objects.create(
                organization=org,
                kind=data["kind"],
                founded_on=founded,
                premises=str(data["premises"]).strip()[:200],
                fulltime_staff=staff,
                created_by=by,
            )
    except IntegrityError:
        raise RuleBroken({"organization": [_("Your organisation has filed already.")]}) from None
    audit_log(action="agencies.agency.applied", actor=by, target=agency, to_status=agency.status)
    return agency


def agency_register(*, agency: Agency, by) -> Agency:
    """Staff of the organisation's market accept the filing."""
    _require(
        in_scope(by, agency.organization.market_id),
        _("Only staff of the agency's market can do this."),
    )
    return apply_transition(agency, "file", by=by, changes={"filed_on": timezone.localdate()})


def deal_figures(agency: Agency, year: int) -> tuple[int, Decimal]:
    """The contracts registered in the year that name a broker of the agency."""
    figures = Contract.objects.filter(
        status__in=Contract.REGISTERED_EVER,
        registered_at__year=year,
        broker__organization_id=agency.organization_id,
    ).aggregate(n=Count("id"), amount=Sum("tech_transaction_amount"))
    return figures["n"], figures["amount"] or Decimal("0.00")


@transaction.atomic
def report_submit(*, agency: Agency, by, year: int, data: dict) -> AgencyReport:
    """The annual report; its deal figures come from the registered contracts
    (a declared amount must equal them) and it is locked once submitted."""
    _require(acts_for(by, agency.organization_id), _("Only the agency can do this."))
    if agency.status not in Agency.PUBLIC:
        raise TransitionNotAllowed(_("A filed agency reports."))
    errors: dict[str, list] = {}
    if (
        not isinstance(year, int)
        or isinstance(year, bool)
        or not 2000 <= year <= timezone.localdate().year
    ):
        errors["year"] = [_("The report year is this year or before.")]
    staff = _whole(data.get("staff_total"), "staff_total", errors)
    fulltime = _whole(data.get("fulltime_staff"), "fulltime_staff", errors)
    experts = _whole(data.get("parttime_experts"), "parttime_experts", errors)
    served = _whole(data.get("enterprises_served"), "enterprises_served", errors)
    tech = _yuan(data.get("tech_income"), "tech_income", errors)
    total = _yuan(data.get("total_income"), "total_income", errors)
    if staff is not None and fulltime is not None and fulltime > staff:
        errors["fulltime_staff"] = [_("The full-time staff are part of the staff.")]
    if tech is not None and total is not None and tech > total:
        errors["tech_income"] = [_("The technical income is part of the total income.")]
    if errors:
        raise RuleBroken(errors)
    count, amount = deal_figures(agency, year)
    declared = data.get("deals_amount")
    if declared not in (None, "") and _yuan(declared, "deals_amount", errors) != amount:
        raise RuleBroken(
            {
                "deals_amount": [
                    _("The registered contracts of %(year)d add up to %(amount)s yuan.")
                    % {"year": year, "amount": amount}
                ]
            }
        )
    try:
        with transaction.atomic():
            report = AgencyReport.objects.create(
                agency=agency,
                year=year,
                staff_total=staff,
                fulltime_staff=fulltime,
                parttime_experts=experts,
                deals_count=count,
                deals_amount=amount,
                tech_income=tech,
                total_income=total,
                enterprises_served=served,
                submitted_by=by,
            )
    except IntegrityError:
        raise RuleBroken({"year": [_("This year's report is submitted already.")]}) from None
    audit_log(
        action="agencies.agencyreport.submitted",
        actor=by,
        target=report,
        data={"deals": count, "amount": str(amount)},
    )
    return report


def _weights(value, errors: dict) -> dict:
    weights = dict(DEFAULT_WEIGHTS if value in (None, {}) else value)
    if (
        not weights
        or any(not isinstance(w, int) or isinstance(w, bool) or w < 0 for w in weights.values())
        or sum(weights.values()) != 100
    ):
        errors["weights"] = [_("The indicators' weights are whole numbers that sum to 100.")]
    return weights


@transaction.atomic
def round_open(*, by, year: int, evaluator: str, weights: dict | None = None) -> EvaluationRound:
    """Provincial staff open a year's evaluation, with its weights as data."""
    _require(is_central(by), _("Only provincial staff can do this."))
    errors: dict[str, list] = {}
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        errors["year"] = [_("Evaluate a year that has begun.")]
    if not (evaluator or "").strip():
        errors["evaluator"] = [_("Name the third-party evaluator.")]
    weights = _weights(weights, errors)
    if errors:
        raise RuleBroken(errors)
    try:
        with transaction.atomic():
            made = EvaluationRound.objects.create(
                year=year, weights=weights, evaluator=evaluator.strip()[:200], created_by=by
            )
    except IntegrityError:
        raise RuleBroken({"year": [_("This year's round exists already.")]}) from None
    audit_log(
        action="agencies.evaluationround.opened", actor=by, target=made, data={"weights": weights}
    )
    return made


def grade_of(total: Decimal) -> str:
    if total >= EXCELLENT:
        return Evaluation.Grade.EXCELLENT
    return Evaluation.Grade.PASS if total >= PASS else Evaluation.Grade.FAIL


@transaction.atomic
def evaluate(*, round: EvaluationRound, agency: Agency, by, data: dict) -> Evaluation:
    """The evaluator's scores, every indicator 0–100; the total is weighted and
    the grade follows from it (never set by hand); an agency younger than two
    years at the end of the year is not evaluated."""
    _require(is_central(by), _("Only provincial staff can do this."))
    if round.status != EvaluationRound.Status.OPEN:
        raise TransitionNotAllowed(_("The round's scores are closed."))
    errors: dict[str, list] = {}
    scores = data.get("scores")
    if "grade" in data:
        errors["grade"] = [_("The grade follows from the indicator scores; give the scores.")]
    if not isinstance(scores, dict) or set(scores) != set(round.weights):
        errors["scores"] = [
            _("Score every indicator of the round: %(names)s.")
            % {"names": "、".join(round.weights)}
        ]
    elif any(
        not isinstance(v, int | float) or isinstance(v, bool) or not 0 <= v <= 100
        for v in scores.values()
    ):
        errors["scores"] = [_("Each score is a number from 0 to 100.")]
    year_end = datetime.date(round.year, 12, 31)
    if agency.founded_on > year_end.replace(year=round.year - MIN_AGE_YEARS):
        errors["agency"] = [
            _("An agency is evaluated from its second year: founded on %(date)s.")
            % {"date": agency.founded_on}
        ]
    if agency.status not in Agency.PUBLIC:
        errors["agency"] = [_("Only a filed agency is evaluated.")]
    if errors:
        raise RuleBroken(errors)
    total = (sum(Decimal(str(scores[k])) * round.weights[k] for k in round.weights) / 100).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                round=round,
                agency=agency,
                scores={k: scores[k] for k in round.weights},
                total=total,
                grade=grade_of(total),
                comment=str(data.get("comment", "")).strip()[:2000],
                created_by=by,
            )
    except IntegrityError:
        raise RuleBroken(
            {"agency": [_("This agency is evaluated in this round already.")]}
        ) from None
    audit_log(
        action="agencies.evaluation.scored",
        actor=by,
        target=evaluation,
        data={"total": str(total), "grade": evaluation.grade},
    )
    return evaluation


@transaction.atomic
def round_publish(*, round: EvaluationRound, by) -> EvaluationRound:
    """The results go to a 7-day publicity; 优秀 is kept for at most the top
    20 % of the round (the others at 85 or more are 合格)."""
    _require(is_central(by), _("Only provincial staff can do this."))
    rows = list(round.evaluations.select_related("agency__organization").order_by("-total", "id"))
    if not rows:
        raise RuleBroken({"round": [_("Score at least one agency first.")]})
    cap = math.floor(len(rows) * EXCELLENT_SHARE)
    for n, row in enumerate(rows):
        if row.grade == Evaluation.Grade.EXCELLENT and n >= cap:
            Evaluation.objects.filter(pk=row.pk).update(grade=Evaluation.Grade.PASS)
            row.grade = Evaluation.Grade.PASS
    done = apply_transition(round, "publish", by=by)
    publicity_open(
        subject=done,
        kind=Publicity.Kind.EVALUATION,
        title=_("Agency evaluation %(year)d: the results") % {"year": done.year},
        content={
            "year": done.year,
            "results": [
                {"agency": r.agency.organization.name, "score": str(r.total), "grade": r.grade}
                for r in rows
            ],
        },
        period_value=PUBLICITY_DAYS,
        period_unit=Publicity.Unit.CALENDAR_DAY,
        by=by,
    )
    return done


@transaction.atomic
def round_finalize(*, round: EvaluationRound, by) -> EvaluationRound:
    """After a clean publicity the grades are final; two 不合格 in a row
    downgrade a demonstration agency to filed, or suspend a filed one."""
    _require(is_central(by), _("Only provincial staff can do this."))
    notice = current(round, Publicity.Kind.EVALUATION)
    if notice is None or not notice.is_over():
        raise TransitionNotAllowed(_("The results' publicity has not ended yet."))
    held = blocking(notice)
    if held:
        raise TransitionNotAllowed(held)
    done = apply_transition(round, "finalize", by=by)
    for evaluation in done.evaluations.filter(grade=Evaluation.Grade.FAIL).select_related("agency"):
        agency = for_update(Agency.objects).get(pk=evaluation.agency_id)
        before = Evaluation.objects.filter(
            agency=agency, round__year=done.year - 1, round__status=EvaluationRound.Status.FINAL
        ).first()
        if before is None or before.grade != Evaluation.Grade.FAIL:
            continue
        reason = _("Two evaluations in a row failed (%(a)d, %(b)d).") % {
            "a": done.year - 1,
            "b": done.year,
        }
        if agency.level != Agency.Level.REGISTERED:
            Agency.objects.filter(pk=agency.pk).update(level=Agency.Level.REGISTERED)
            audit_log(
                action="agencies.agency.downgraded",
                actor=by,
                target=agency,
                reason=reason,
                data={"from": agency.level},
            )
        elif agency.status == Agency.Status.REGISTERED:
            apply_transition(
                agency, "suspend", by=by, reason=reason, changes={"reason": reason[:500]}
            )
    return done
