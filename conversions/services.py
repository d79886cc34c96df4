"""The rules of the conversion project library (MARKET.md §8.2): pages, the
API and the jobs call these; every change is audited."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for, in_scope, is_central
from contracts.models import Contract
from conversions.models import ConversionProject, SalesReport
from market.common import next_number
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.reference import TechField
from portal.core.workdays import months_between, years_later
from portal.core.workflow import apply_transition
from publicity.models import Publicity
from publicity.selectors import blocking, current
from publicity.services import publicity_open

# MARKET.md §8.2 [S48, adapted]: how recent the IP is when the project applies.
WINDOW_MONTHS = {"invention": 36, "utility": 36, "software": 24, "ic_layout": 24}
IP_TYPES = (*WINDOW_MONTHS, "invention_application")  # an invention in substantive examination
LICENCE_MIN_YEARS = 5
PUBLICITY_DAYS = 7  # calendar days [D]
VALID_YEARS = 3  # [D]


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _ip_items(rows, applicant, on: datetime.date, errors: dict) -> list[dict]:
    """Each IP item inside its window; one held under licence counts only if
    exclusive, worldwide and for at least five years."""
    if not isinstance(rows, list) or not rows:
        errors["ip_items"] = [_("List the IP that protects the core technology.")]
        return []
    clean, problems = [], []
    for row in rows:
        if not isinstance(row, dict):
            problems.append(_("Each IP item has a type, a number and a date."))
            continue
        kind, number, day = (
            row.get("type"),
            str(row.get("number", "")).strip(),
            _date(row.get("date")),
        )
        holder = str(row.get("holder", "")).strip() or applicant.name
        if kind not in IP_TYPES or not number or day is None or day > on:
            problems.append(_("Each IP item has a type, a number and a date."))
            continue
        window = WINDOW_MONTHS.get(kind)
        if window is not None and months_between(day, on) >= window:
            problems.append(
                _("%(number)s was granted on %(date)s: more than %(n)d months ago.")
                % {"number": number, "date": day, "n": window}
            )
            continue
        licensed = holder != applicant.name
        years = row.get("years")
        if licensed and not (
            row.get("exclusive") is True
            and row.get("worldwide") is True
            and isinstance(years, int)
            and years >= LICENCE_MIN_YEARS
        ):
            problems.append(
                _(
                    "%(number)s is held by %(holder)s: it counts under an exclusive "
                    "worldwide licence of at least %(n)d years."
                )
                % {"number": number, "holder": holder, "n": LICENCE_MIN_YEARS}
            )
            continue
        clean.append(
            {
                "type": kind,
                "number": number[:50],
                "date": day.isoformat(),
                "holder": holder[:200],
                "exclusive": bool(row.get("exclusive", not licensed)),
                "worldwide": bool(row.get("worldwide", not licensed)),
                "years": years if licensed else None,
            }
        )
    if problems:
        errors["ip_items"] = problems
    return clean


def _check(data: dict, applicant) -> dict:
    errors: dict[str, list] = {}
    for field in ("name", "product_name"):
        if not str(data.get(field, "")).strip():
            errors[field] = [_("This field is required.")]
    if data.get("tech_field") not in TechField.values:
        errors["tech_field"] = [_("Choose one of the listed values.")]
    if data.get("stage") not in ConversionProject.Stage.values:
        errors["stage"] = [_("Choose one of the listed values.")]
    if data.get("source") not in ConversionProject.Source.values:
        errors["source"] = [_("Choose one of the listed values.")]
    today = timezone.localdate()
    items = _ip_items(data.get("ip_items"), applicant, today, errors)
    reports = []
    for row in data.get("test_reports") or []:
        if (
            not isinstance(row, dict)
            or not str(row.get("agency", "")).strip()
            or not str(row.get("accreditation", "")).strip()
        ):
            errors["test_reports"] = [
                _("Each test report names its agency and the agency's accreditation number.")
            ]
            break
        reports.append(
            {
                "agency": str(row["agency"]).strip()[:200],
                "accreditation": str(row["accreditation"]).strip()[:50],
                "number": str(row.get("number", "")).strip()[:50],
            }
        )
    if (
        not reports
        and data.get("stage") != ConversionProject.Stage.SERVICE
        and "test_reports" not in errors
    ):
        errors["test_reports"] = [_("A product needs a test report by an accredited agency.")]
    try:
        revenue = Decimal(str(data.get("expected_revenue")))
    except (InvalidOperation, ValueError):
        revenue = None
    if revenue is None or not revenue.is_finite() or revenue < 0 or revenue > Decimal("1e13"):
        errors["expected_revenue"] = [_("Enter an amount in yuan (zero or more).")]
    contract = data.get("contract")
    if contract is not None and (
        contract.status != Contract.Status.REGISTERED
        or applicant.pk not in (contract.buyer_id, contract.seller_id)
    ):
        errors["contract"] = [_("Name a registered contract your organisation is party to.")]
    if errors:
        raise RuleBroken(errors)
    return {
        "name": str(data["name"]).strip()[:200],
        "product_name": str(data["product_name"]).strip()[:200],
        "tech_field": data["tech_field"],
        "stage": data["stage"],
        "ip_items": items,
        "test_reports": reports,
        "licences": [str(x).strip()[:200] for x in data.get("licences") or [] if str(x).strip()],
        "source": data["source"],
        "contract": contract,
        "expected_revenue": revenue.quantize(Decimal("0.01")),
        "description": str(data.get("description", "")).strip(),
    }


@transaction.atomic
def project_create(*, by, data: dict) -> ConversionProject:
    applicant = getattr(by, "organization", None)
    _require(
        applicant is not None and applicant.verified and acts_for(by, applicant.pk),
        _("A project is applied for by a verified organisation you act for."),
    )
    project = ConversionProject.objects.create(
        applicant=applicant, created_by=by, **_check(data, applicant)
    )
    audit_log(
        action="conversions.conversionproject.created",
        actor=by,
        target=project,
        to_status=project.status,
    )
    return project


def _taken_elsewhere(project: ConversionProject) -> list[str]:
    """IP numbers of this project used by a live project of another applicant."""
    numbers = {i["number"] for i in project.ip_items}
    taken = []
    others = ConversionProject.objects.filter(status__in=ConversionProject.LIVE).exclude(
        applicant_id=project.applicant_id
    )
    for other in others.only("ip_items"):
        taken += [i["number"] for i in other.ip_items if i["number"] in numbers]
    return sorted(set(taken))


def project_submit(*, project: ConversionProject, by) -> ConversionProject:
    """To the formal review; a project from a listing, auction or challenge
    deal whose contract is registered takes the fast lane."""
    _require(acts_for(by, project.applicant_id), _("Only the applicant can do this."))
    taken = _taken_elsewhere(project)
    if taken:
        raise RuleBroken(
            {
                "ip_items": [
                    _("Used by another applicant's project: %(numbers)s.")
                    % {"numbers": "、".join(taken)}
                ]
            }
        )
    fast = project.source in ConversionProject.FAST_SOURCES and project.contract_id is not None
    return apply_transition(
        project,
        "submit",
        by=by,
        changes={"fast_lane": fast, "submitted_on": timezone.localdate()},
        audit_data={"fast_lane": fast},
    )


def _publicise(project: ConversionProject, *, by, reason: str = "") -> ConversionProject:
    done = apply_transition(project, "publicise", by=by, reason=reason)
    publicity_open(
        subject=done,
        kind=Publicity.Kind.RECOGNITION,
        title=_("Proposed conversion project: %(name)s") % {"name": done.name},
        content={
            "name": done.name,
            "product": done.product_name,
            "applicant": done.applicant.name,
            "ip": [i["number"] for i in done.ip_items],
        },
        period_value=PUBLICITY_DAYS,
        period_unit=Publicity.Unit.CALENDAR_DAY,
        by=by,
    )
    return done


@transaction.atomic
def formal_check(
    *, project: ConversionProject, by, passed: bool, reason: str = ""
) -> ConversionProject:
    """Staff of the applicant's market: back for changes with a reason, or on
    to the experts (the fast lane goes straight to the publicity)."""
    _require(
        in_scope(by, project.applicant.market_id),
        _("Only staff of the applicant's market can do this."),
    )
    reason = (reason or "").strip()
    if not passed:
        if not reason:
            raise RuleBroken({"reason": [_("Say why, so the applicant can act on it.")]})
        return apply_transition(
            project, "send_back", by=by, reason=reason, changes={"reason": reason[:500]}
        )
    if project.fast_lane:
        return _publicise(
            project, by=by, reason=_("Fast lane: a registered market or challenge deal.")
        )
    return apply_transition(project, "to_experts", by=by)


@transaction.atomic
def expert_review(
    *, project: ConversionProject, by, passed: bool, opinion: str
) -> ConversionProject:
    """Provincial staff record the experts' opinion: to the publicity, or rejected."""
    _require(is_central(by), _("Only provincial staff can do this."))
    opinion = (opinion or "").strip()
    if not opinion:
        raise RuleBroken({"opinion": [_("Record the experts' opinion.")]})
    if project.status != ConversionProject.Status.EXPERT_REVIEW:
        raise TransitionNotAllowed(_("This project is not in the expert review."))
    if not passed:
        return apply_transition(
            project, "reject", by=by, reason=opinion, changes={"reason": opinion[:500]}
        )
    return _publicise(project, by=by, reason=opinion)


@transaction.atomic
def project_recognize(*, project: ConversionProject, by) -> ConversionProject:
    """After a clean publicity: in the library for three years, with its code."""
    _require(is_central(by), _("Only provincial staff can do this."))
    notice = current(project, Publicity.Kind.RECOGNITION)
    if notice is None or not notice.is_over():
        raise TransitionNotAllowed(_("The recognition publicity has not ended yet."))
    held = blocking(notice)
    if held:
        raise TransitionNotAllowed(held)
    today = timezone.localdate()
    return apply_transition(
        project,
        "recognize",
        by=by,
        changes={
            "code": next_number("conversion", "GZ", 5),
            "recognized_on": today,
            "valid_until": years_later(today, VALID_YEARS),
        },
    )


@transaction.atomic
def sales_report(*, project: ConversionProject, by, year: int, revenue) -> SalesReport:
    """The year's sales of a recognised project, once a year, never a future year."""
    _require(acts_for(by, project.applicant_id), _("Only the applicant can do this."))
    if project.status not in ConversionProject.PUBLIC:
        raise TransitionNotAllowed(_("Sales are reported by a recognised project."))
    errors: dict[str, list] = {}
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        errors["year"] = [_("The report year is this year or before.")]
    try:
        amount = Decimal(str(revenue))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > Decimal("1e13"):
        errors["revenue"] = [_("Enter an amount in yuan (zero or more).")]
    if errors:
        raise RuleBroken(errors)
    try:
        with transaction.atomic():
            report = SalesReport.objects.create(
                project=project,
                year=year,
                revenue=amount.quantize(Decimal("0.01")),
                submitted_by=by,
            )
    except IntegrityError:
        raise RuleBroken({"year": [_("This year's report is submitted already.")]}) from None
    audit_log(
        action="conversions.salesreport.submitted",
        actor=by,
        target=report,
        data={"year": year, "revenue": str(report.revenue)},
    )
    locked = for_update(ConversionProject.objects).get(pk=project.pk)
    if locked.status == ConversionProject.Status.RECOGNIZED:
        apply_transition(locked, "track", by=by)
    return report


def project_remove(*, project: ConversionProject, by, reason: str) -> ConversionProject:
    """Provincial staff remove a project: false materials, IP invalidated, business ended."""
    _require(is_central(by), _("Only provincial staff can do this."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Say why.")]})
    return apply_transition(
        project, "remove", by=by, reason=reason, changes={"reason": reason[:500]}
    )


def projects_expire(*, today: datetime.date | None = None) -> int:
    """The daily job: recognitions past their three years expire."""
    today = today or timezone.localdate()
    done = 0
    for project in ConversionProject.objects.filter(
        status__in=ConversionProject.PUBLIC, valid_until__lt=today
    ):
        apply_transition(project, "expire", by=None, reason=_("The recognition expired."))
        done += 1
    return done
