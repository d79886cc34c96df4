"""The rules of pilot bases and concept-verification centres (MARKET.md §7.3):
pages, the API and the jobs call these; every change is audited."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for, in_scope, is_central
from accounts.selectors import people_of
from market.common import money, next_number
from platforms.models import Platform, PlatformReport, ServiceRecord
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.reference import Industry
from portal.core.workdays import months_between, years_later
from portal.core.workflow import apply_transition
from publicity.models import Publicity
from publicity.selectors import blocking, current
from publicity.services import publicity_open

MIN_OPERATING_MONTHS = 12  # a pilot base operates at least a year before applying [S43]
PUBLICITY_DAYS = 7  # calendar days, with real-name objections [S41 analogue]
VALID_YEARS = 3  # [D]
PREFIX = {Platform.Kind.PILOT_BASE: "ZS", Platform.Kind.POC_CENTER: "GY"}
FIELDS = (
    "kind",
    "level",
    "name",
    "address",
    "industries",
    "services",
    "premises_m2",
    "equipment",
    "lead_name",
    "staff_total",
    "engineers",
    "annual_budget",
    "open_service",
    "fee_schedule",
    "ip_policy",
    "incidents",
    "established_on",
    "description",
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def _count(value, field: str, errors: dict, *, positive: bool = False) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool) or value < (1 if positive else 0):
        errors[field] = [_("Enter a whole number.")]
        return None
    return value


def _amount(value, field: str, errors: dict) -> Decimal | None:
    """Yuan, zero or more, in fen."""
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > Decimal("1e13"):
        errors[field] = [_("Enter an amount in yuan (zero or more).")]
        return None
    if amount != amount.quantize(Decimal("0.01")):
        errors[field] = [_("Amounts have at most two decimals (fen).")]
        return None
    return amount


def _equipment(rows, errors: dict) -> list[dict]:
    clean = []
    if not isinstance(rows, list) or not rows:
        errors["equipment"] = [_("List the equipment, each with its original value.")]
        return clean
    for row in rows:
        try:
            value = Decimal(str(row.get("value", ""))) if isinstance(row, dict) else None
        except (InvalidOperation, ValueError):
            value = None
        if not isinstance(row, dict) or not str(row.get("name", "")).strip():
            errors["equipment"] = [_("Each piece of equipment has a name.")]
            return []
        if value is None or not value.is_finite() or value <= 0:
            errors["equipment"] = [
                _("“%(name)s” needs its original value in yuan, above zero.")
                % {"name": str(row["name"]).strip()[:100]}
            ]
            return []
        clean.append(
            {
                "name": str(row["name"]).strip()[:100],
                "model": str(row.get("model", "")).strip()[:100],
                "value": str(value.quantize(Decimal("0.01"))),
                "shareable": bool(row.get("shareable", False)),
            }
        )
    return clean


def _check(data: dict) -> dict:
    """Every condition of MARKET.md §7.1 that the application states, with all
    its field messages at once."""
    errors: dict[str, list] = {}
    if data.get("kind") not in Platform.Kind.values:
        errors["kind"] = [_("Choose one of the listed values.")]
    if data.get("level") not in Platform.Level.values:
        errors["level"] = [_("Choose one of the listed values.")]
    for field in ("name", "address", "lead_name", "fee_schedule", "ip_policy"):
        if not str(data.get(field, "")).strip():
            errors[field] = [_("This field is required.")]
    industries = list(data.get("industries") or [])
    if not industries or not set(industries) <= set(Industry.values):
        errors["industries"] = [_("Choose the industry chains served.")]
    services = list(data.get("services") or [])
    if not services or not set(services) <= set(Platform.Service.values):
        errors["services"] = [_("Choose the services offered.")]
    premises = _count(data.get("premises_m2"), "premises_m2", errors, positive=True)
    staff = _count(data.get("staff_total"), "staff_total", errors, positive=True)
    engineers = _count(data.get("engineers"), "engineers", errors)
    if staff is not None and engineers is not None and engineers > staff:
        errors["engineers"] = [_("The engineers are part of the staff.")]
    budget = money(data.get("annual_budget"), "annual_budget", errors)
    equipment = _equipment(data.get("equipment"), errors)
    if data.get("open_service") is not True:
        errors["open_service"] = [_("Only a platform open to outside clients is recognised.")]
    incidents = [str(i).strip()[:300] for i in data.get("incidents") or [] if str(i).strip()]
    if incidents and data.get("level") in (Platform.Level.PROVINCIAL, Platform.Level.NATIONAL):
        errors["incidents"] = [
            _("A provincial or national platform has had no major incident in three years.")
        ]
    established = data.get("established_on")
    today = timezone.localdate()
    if not isinstance(established, datetime.date) or established > today:
        errors["established_on"] = [_("Enter the date operations began.")]
    elif data.get("kind") == Platform.Kind.PILOT_BASE and (
        months_between(established, today) < MIN_OPERATING_MONTHS
    ):
        errors["established_on"] = [
            _("A pilot base operates at least %(n)d months before it applies.")
            % {"n": MIN_OPERATING_MONTHS}
        ]
    if errors:
        raise RuleBroken(errors)
    return {
        "kind": data["kind"],
        "level": data["level"],
        "name": str(data["name"]).strip()[:200],
        "address": str(data["address"]).strip()[:200],
        "industries": industries,
        "services": services,
        "premises_m2": premises,
        "equipment": equipment,
        "equipment_value": sum((Decimal(e["value"]) for e in equipment), Decimal("0.00")),
        "lead_name": str(data["lead_name"]).strip()[:50],
        "staff_total": staff,
        "engineers": engineers,
        "annual_budget": budget,
        "open_service": True,
        "fee_schedule": str(data["fee_schedule"]).strip(),
        "ip_policy": str(data["ip_policy"]).strip(),
        "incidents": incidents,
        "established_on": established,
        "description": str(data.get("description", "")).strip(),
    }


def city_of(region_code: str) -> str:
    return f"{(region_code or '')[:4]}00"


@transaction.atomic
def platform_create(*, by, data: dict) -> Platform:
    """The host unit (a member who acts for a verified organisation) drafts the application."""
    host = getattr(by, "organization", None)
    _require(
        host is not None and host.verified and acts_for(by, host.pk),
        _("A platform is applied for by a verified host unit you act for."),
    )
    platform = Platform.objects.create(
        host=host, city=city_of(host.region_code), created_by=by, **_check(data)
    )
    audit_log(
        action="platforms.platform.created", actor=by, target=platform, to_status=platform.status
    )
    return platform


@transaction.atomic
def platform_update(*, platform: Platform, by, data: dict) -> Platform:
    locked = for_update(Platform.objects).get(pk=platform.pk)
    _require(acts_for(by, locked.host_id), _("Only the host unit can do this."))
    if locked.status not in Platform.EDITABLE:
        raise TransitionNotAllowed(_("Only a draft can be changed."))
    clean = _check({f: getattr(locked, f) for f in FIELDS} | data)
    changed = [f for f, v in clean.items() if getattr(locked, f) != v]
    for field in changed:
        setattr(locked, field, clean[field])
    locked.save()
    audit_log(
        action="platforms.platform.updated", actor=by, target=locked, data={"fields": changed}
    )
    return locked


def platform_submit(*, platform: Platform, by) -> Platform:
    """To the city's recommendation; a second record of the same host, kind
    and level in the city is flagged to staff."""
    _require(acts_for(by, platform.host_id), _("Only the host unit can do this."))
    twin = (
        Platform.objects.filter(
            host_id=platform.host_id, kind=platform.kind, level=platform.level, city=platform.city
        )
        .exclude(pk=platform.pk)
        .exclude(
            status__in=(Platform.Status.DRAFT, Platform.Status.REJECTED, Platform.Status.REVOKED)
        )
        .exists()
    )
    return apply_transition(
        platform, "submit", by=by, changes={"duplicate_flag": twin}, audit_data={"twin": twin}
    )


def platform_recommend(*, platform: Platform, by, recommend: bool, reason: str = "") -> Platform:
    """The city (staff of the host's market) recommends it to the expert
    review, or sends it back with a reason."""
    _require(
        in_scope(by, platform.host.market_id), _("Only staff of the host's market can do this.")
    )
    reason = (reason or "").strip()
    if not recommend and not reason:
        raise RuleBroken({"reason": [_("Say why, so the host unit can act on it.")]})
    done = apply_transition(
        platform,
        "recommend" if recommend else "send_back",
        by=by,
        reason=reason,
        changes={"reason": reason[:500]},
    )
    notify(
        users=people_of(done.host_id),
        kind=f"platforms.platform.{done.status}",
        title=_("Your platform: %(status)s") % {"status": done.get_status_display()},
        body=reason,
        url=done.get_absolute_url(),
    )
    return done


@transaction.atomic
def platform_review(*, platform: Platform, by, score, opinion: str, passed: bool) -> Platform:
    """Provincial staff record the expert review (the score and the opinion,
    site visit included); passed, the recognition publicity opens for 7
    calendar days; otherwise the application is rejected."""
    _require(is_central(by), _("Only provincial staff can do this."))
    errors: dict[str, list] = {}
    try:
        score = Decimal(str(score))
    except (InvalidOperation, ValueError):
        score = None
    if score is None or not score.is_finite() or not 0 <= score <= 100:
        errors["score"] = [_("Enter a score from 0 to 100.")]
    opinion = (opinion or "").strip()
    if not opinion:
        errors["opinion"] = [_("Record the experts' opinion.")]
    if errors:
        raise RuleBroken(errors)
    changes = {"expert_score": score, "expert_opinion": opinion[:2000]}
    if not passed:
        return apply_transition(
            platform, "reject", by=by, reason=opinion, changes={**changes, "reason": opinion[:500]}
        )
    done = apply_transition(platform, "publicise", by=by, changes=changes)
    publicity_open(
        subject=done,
        kind=Publicity.Kind.RECOGNITION,
        title=_("Proposed recognition: %(name)s") % {"name": done.name},
        content={
            "name": done.name,
            "kind": str(done.get_kind_display()),
            "level": str(done.get_level_display()),
            "host": done.host.name,
            "score": str(score),
        },
        period_value=PUBLICITY_DAYS,
        period_unit=Publicity.Unit.CALENDAR_DAY,
        by=by,
    )
    return done


@transaction.atomic
def platform_recognize(*, platform: Platform, by) -> Platform:
    """After a clean publicity: recognised for three years, with its code."""
    _require(is_central(by), _("Only provincial staff can do this."))
    notice = current(platform, Publicity.Kind.RECOGNITION)
    if notice is None or not notice.is_over():
        raise TransitionNotAllowed(_("The recognition publicity has not ended yet."))
    held = blocking(notice)
    if held:
        raise TransitionNotAllowed(held)
    prefix = PREFIX[platform.kind]
    today = timezone.localdate()
    done = apply_transition(
        platform,
        "recognize",
        by=by,
        changes={
            "code": next_number(f"pf-{prefix}-{platform.city}", f"{prefix}-{platform.city}", 4),
            "recognized_on": today,
            "valid_until": years_later(today, VALID_YEARS),
        },
    )
    notify(
        users=people_of(done.host_id),
        kind="platforms.platform.recognized",
        title=_("Recognised: %(name)s (%(code)s)") % {"name": done.name, "code": done.code},
        url=done.get_absolute_url(),
    )
    return done


@transaction.atomic
def record_add(*, platform: Platform, by, data: dict) -> ServiceRecord:
    """The host records a service to a client: dates in order, a fee never negative."""
    _require(acts_for(by, platform.host_id), _("Only the host unit can do this."))
    if platform.status not in Platform.PUBLIC:
        raise TransitionNotAllowed(_("Services are recorded by a recognised platform."))
    errors: dict[str, list] = {}
    if not str(data.get("client", "")).strip():
        errors["client"] = [_("This field is required.")]
    if data.get("service_type") not in Platform.Service.values:
        errors["service_type"] = [_("Choose one of the listed values.")]
    if data.get("outcome") not in ServiceRecord.Outcome.values:
        errors["outcome"] = [_("Choose one of the listed values.")]
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts, datetime.date) or not isinstance(ends, datetime.date):
        errors["starts_on"] = [_("Enter the dates.")]
    elif ends < starts:
        errors["ends_on"] = [_("The service ends after it starts.")]
    fee = _amount(data.get("fee"), "fee", errors)
    if errors:
        raise RuleBroken(errors)
    record = ServiceRecord.objects.create(
        platform=platform,
        client=str(data["client"]).strip()[:200],
        service_type=data["service_type"],
        starts_on=starts,
        ends_on=ends,
        fee=fee,
        outcome=data["outcome"],
        created_by=by,
    )
    audit_log(action="platforms.servicerecord.created", actor=by, target=record)
    return record


@transaction.atomic
def report_submit(*, platform: Platform, by, year: int, data: dict) -> PlatformReport:
    """The annual report: services, clients and income counted from the service
    records of the year; never a year in the future; once a year."""
    _require(acts_for(by, platform.host_id), _("Only the host unit can do this."))
    if platform.status not in Platform.PUBLIC:
        raise TransitionNotAllowed(_("Reports are made by a recognised platform."))
    errors: dict[str, list] = {}
    if not isinstance(year, int) or year > timezone.localdate().year or year < 2000:
        errors["year"] = [_("The report year is this year or before.")]
    projects = _count(data.get("projects_verified"), "projects_verified", errors)
    spinouts = _count(data.get("spinouts"), "spinouts", errors)
    financing = money(
        data.get("financing_raised") or "0", "financing_raised", errors, required=False
    )
    if str(data.get("financing_raised") or "0") in ("0", "0.00"):
        errors.pop("financing_raised", None)
        financing = Decimal("0.00")
    if not str(data.get("summary", "")).strip():
        errors["summary"] = [_("This field is required.")]
    if errors:
        raise RuleBroken(errors)
    records = platform.records.filter(starts_on__year=year)
    figures = records.aggregate(
        n=Count("id"), clients=Count("client", distinct=True), fee=Sum("fee")
    )
    try:
        with transaction.atomic():
            report = PlatformReport.objects.create(
                platform=platform,
                year=year,
                services_count=figures["n"],
                clients_count=figures["clients"],
                service_income=figures["fee"] or Decimal("0.00"),
                projects_verified=projects,
                spinouts=spinouts,
                financing_raised=financing,
                summary=str(data["summary"]).strip(),
                submitted_by=by,
            )
    except IntegrityError:
        raise RuleBroken({"year": [_("This year's report is submitted already.")]}) from None
    audit_log(action="platforms.platformreport.submitted", actor=by, target=report)
    return report


@transaction.atomic
def report_decide(*, report: PlatformReport, by, passed: bool, comment: str = "") -> PlatformReport:
    """Staff grade the annual report: a pass keeps (or puts) the platform
    operating; a fail puts it under rectification, with the comment."""
    report = for_update(PlatformReport.objects).get(pk=report.pk)
    platform = report.platform
    _require(
        in_scope(by, platform.host.market_id), _("Only staff of the host's market can do this.")
    )
    if report.result:
        raise TransitionNotAllowed(_("This report is decided already."))
    comment = (comment or "").strip()
    if not passed and not comment:
        raise RuleBroken({"comment": [_("Say what is to be rectified.")]})
    report.result = PlatformReport.Result.PASS if passed else PlatformReport.Result.FAIL
    report.comment = comment[:500]
    report.save(update_fields=["result", "comment"])
    audit_log(
        action=f"platforms.platformreport.{report.result}", actor=by, target=report, reason=comment
    )
    if not passed:
        apply_transition(
            platform, "rectify", by=by, reason=comment, changes={"reason": comment[:500]}
        )
    elif platform.status == Platform.Status.RECOGNIZED:
        apply_transition(platform, "operate", by=by)
    elif platform.status == Platform.Status.RECTIFICATION:
        apply_transition(platform, "resume", by=by)
    return report


def platform_revoke(*, platform: Platform, by, reason: str) -> Platform:
    _require(is_central(by), _("Only provincial staff can do this."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Say why.")]})
    return apply_transition(
        platform, "revoke", by=by, reason=reason, changes={"reason": reason[:500]}
    )


def platforms_expire(*, today: datetime.date | None = None) -> int:
    """The daily job: recognitions past their validity expire."""
    today = today or timezone.localdate()
    done = 0
    for platform in Platform.objects.filter(
        status__in=Platform.TRANSITIONS["expire"].sources, valid_until__lt=today
    ):
        apply_transition(platform, "expire", by=None, reason=_("The recognition expired."))
        done += 1
    return done
