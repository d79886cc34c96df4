"""The rules of open challenges (MARKET.md §3.3–§3.4), from the draft to the
award: pages, API and jobs call these; every change is audited."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from accounts.permissions import acts_for, in_scope, is_staff
from accounts.selectors import people_of
from challenges.models import (
    Challenge,
    ChallengeApplication,
    ChallengeNda,
    ChallengeReview,
    ChallengeReviewer,
)
from challenges.thresholds import threshold_flags
from market.common import money, next_number
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.reference import TechField
from portal.core.workflow import apply_transition
from publicity.models import Publicity
from publicity.selectors import blocking, current
from publicity.services import publicity_open

# Rules and defaults of MARKET.md §3.4 (numbers tagged [D] there).
# 30 % at signing, 40 % after the midterm review, 30 % after acceptance; the
# triggers are written in the issuer's language when the 榜单 is drafted.
DEFAULT_MILESTONES = [
    (30, gettext_lazy("at signing")),
    (40, gettext_lazy("after the midterm review")),
    (30, gettext_lazy("after acceptance")),
]
MIN_WINDOW_DAYS = 20
MIN_REVIEWERS = 5
TRIM_FROM_REVIEWERS = 7  # drop the highest and the lowest total from 7 reviewers on
SELECTION_PUBLICITY_WORKDAYS = 5
ISSUER_KINDS = (
    Organization.Kind.ENTERPRISE,
    Organization.Kind.GOVERNMENT,
    Organization.Kind.UNIVERSITY,
    Organization.Kind.INSTITUTE,
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def may_issue(user, organization) -> bool:
    return (
        organization is not None
        and organization.verified
        and organization.kind in ISSUER_KINDS
        and acts_for(user, organization.pk)
    )


def oversees(user, challenge: Challenge) -> bool:
    return in_scope(user, challenge.issuer.market_id)


def _indicators(value, errors: dict) -> list[dict]:
    rows = []
    if not isinstance(value, list) or not value:
        errors["indicators"] = [_("State at least one quantified indicator with its test method.")]
        return rows
    for row in value:
        if not isinstance(row, dict) or not all(
            str(row.get(k, "")).strip() for k in ("name", "target", "method")
        ):
            errors["indicators"] = [_("Each indicator has a name, a target and a test method.")]
            return []
        rows.append({k: str(row[k]).strip()[:200] for k in ("name", "target", "method")})
    return rows


def _milestones(value, errors: dict) -> list[dict]:
    if value in (None, "", []):
        return [{"percent": p, "trigger": str(t)} for p, t in DEFAULT_MILESTONES]
    try:
        rows = [
            {"percent": int(m["percent"]), "trigger": str(m["trigger"]).strip()[:100]}
            for m in value
        ]
    except (TypeError, KeyError, ValueError):
        errors["milestones"] = [_("Each milestone has a percentage and a trigger.")]
        return []
    if (
        any(r["percent"] <= 0 or not r["trigger"] for r in rows)
        or sum(r["percent"] for r in rows) != 100
    ):
        errors["milestones"] = [_("The milestones' percentages are positive and sum to 100.")]
    return rows


def _criteria(value, errors: dict) -> list[str]:
    names = [str(c).strip()[:100] for c in value or [] if str(c).strip()]
    if not names or len(set(names)) != len(names):
        errors["criteria"] = [_("Name the evaluation criteria, each once.")]
    return names


def _check(data: dict) -> dict:
    errors: dict[str, list] = {}
    for field in ("title", "public_summary"):
        if not str(data.get(field, "")).strip():
            errors[field] = [_("This field is required.")]
    if data.get("tech_field") not in TechField.values:
        errors["tech_field"] = [_("Choose one of the listed values.")]
    if data.get("ip_terms") not in Challenge.IpTerms.values:
        errors["ip_terms"] = [_("Choose one of the listed values.")]
    if data.get("evaluation_method") not in Challenge.EvaluationMethod.values:
        errors["evaluation_method"] = [_("Choose one of the listed values.")]
    reward = money(data.get("reward_total"), "reward_total", errors)
    opens, closes = data.get("application_opens_on"), data.get("application_closes_on")
    if not isinstance(opens, datetime.date):
        errors["application_opens_on"] = [_("Enter a date.")]
    if not isinstance(closes, datetime.date):
        errors["application_closes_on"] = [_("Enter a date.")]
    elif isinstance(opens, datetime.date):
        if closes <= opens:
            errors["application_closes_on"] = [_("Applications close after they open.")]
        elif (closes - opens).days < MIN_WINDOW_DAYS:
            errors["application_closes_on"] = [
                _("Applications stay open at least %(n)d days.") % {"n": MIN_WINDOW_DAYS}
            ]
    months = data.get("implementation_months")
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        errors["implementation_months"] = [_("Enter the months of implementation (1 to 120).")]
    clean = {
        "title": str(data.get("title", "")).strip()[:200],
        "public_summary": str(data.get("public_summary", "")).strip(),
        "confidential_detail": str(data.get("confidential_detail", "")).strip(),
        "tech_field": data.get("tech_field"),
        "indicators": _indicators(data.get("indicators"), errors),
        "deliverables": [
            str(d).strip()[:200] for d in data.get("deliverables") or [] if str(d).strip()
        ],
        "ip_terms": data.get("ip_terms"),
        "reward_total": reward,
        "milestones": _milestones(data.get("milestones"), errors),
        "application_opens_on": opens,
        "application_closes_on": closes,
        "implementation_months": months,
        "eligibility_notes": str(data.get("eligibility_notes", "")).strip(),
        "allow_consortium": bool(data.get("allow_consortium", True)),
        "evaluation_method": data.get("evaluation_method"),
        "criteria": _criteria(data.get("criteria"), errors),
    }
    if errors:
        raise RuleBroken(errors)
    clean["threshold_flags"] = threshold_flags(clean["eligibility_notes"])
    return clean


# What the issuer writes (the `_check` of a create or an update).
CHALLENGE_FIELDS = (
    "title",
    "public_summary",
    "confidential_detail",
    "tech_field",
    "indicators",
    "deliverables",
    "ip_terms",
    "reward_total",
    "milestones",
    "application_opens_on",
    "application_closes_on",
    "implementation_months",
    "eligibility_notes",
    "allow_consortium",
    "evaluation_method",
    "criteria",
)


@transaction.atomic
def challenge_create(*, by, data: dict, demand=None) -> Challenge:
    """An enterprise, government department, university or institute drafts a 榜单."""
    issuer = getattr(by, "organization", None)
    _require(
        may_issue(by, issuer),
        _(
            "Challenges are issued by a verified enterprise, government department, "
            "university or institute you act for."
        ),
    )
    clean = _check(data)
    challenge = Challenge.objects.create(issuer=issuer, demand=demand, created_by=by, **clean)
    audit_log(action="challenges.challenge.created", actor=by, target=challenge, to_status="draft")
    return challenge


@transaction.atomic
def challenge_update(*, challenge: Challenge, by, data: dict) -> Challenge:
    current_row = for_update(Challenge.objects).get(pk=challenge.pk)
    _require(acts_for(by, current_row.issuer_id), _("Only the issuer can do this."))
    if current_row.status not in Challenge.EDITABLE:
        raise TransitionNotAllowed(_("Only a draft or a returned challenge can be changed."))
    merged = {f: getattr(current_row, f) for f in CHALLENGE_FIELDS} | data
    clean = _check(merged)
    changed = [f for f, v in clean.items() if getattr(current_row, f) != v]
    for field in changed:
        setattr(current_row, field, clean[field])
    current_row.save()
    audit_log(
        action="challenges.challenge.updated",
        actor=by,
        target=current_row,
        data={"fields": changed},
    )
    return current_row


def challenge_submit(*, challenge: Challenge, by) -> Challenge:
    """To staff's need review; the threshold check's findings go with it."""
    _require(acts_for(by, challenge.issuer_id), _("Only the issuer can do this."))
    return apply_transition(
        challenge, "submit", by=by, audit_data={"flags": challenge.threshold_flags}
    )


@transaction.atomic
def challenge_review(*, challenge: Challenge, by, decision: str, reason: str = "") -> Challenge:
    """Staff's need review: approve (published, with its code), return for
    changes or reject (with a reason). A 榜单 whose eligibility sets a
    forbidden threshold is not approved."""
    _require(oversees(by, challenge), _("Only staff of the issuer's market can do this."))
    reason = (reason or "").strip()
    if decision not in ("approve", "return_for_changes", "reject"):
        raise RuleBroken({"decision": [_("Unknown action.")]})
    if decision != "approve" and not reason:
        raise RuleBroken({"reason": [_("Say why, so the issuer can act on it.")]})
    changes: dict = {"reject_reason": reason[:500]}
    if decision == "approve":
        locked = Challenge.objects.get(pk=challenge.pk)
        if locked.threshold_flags:
            found = "、".join(f["text"] for f in locked.threshold_flags)
            raise RuleBroken(
                {
                    "eligibility_notes": [
                        _("The eligibility sets forbidden thresholds (%(found)s): return it.")
                        % {"found": found}
                    ]
                }
            )
        changes.update(code=next_number("challenge", "JB", 5), published_at=timezone.now())
    done = apply_transition(challenge, decision, by=by, reason=reason, changes=changes)
    notify(
        users=people_of(done.issuer),
        kind=f"challenges.challenge.{done.status}",
        title=_("Your challenge: %(title)s") % {"title": done.title},
        body=f"{done.get_status_display()} {reason}".strip(),
        url=done.get_absolute_url(),
    )
    return done


def may_see_detail(user, challenge: Challenge) -> bool:
    """The confidential detail: the issuer, staff, and organisations that accepted the NDA."""
    organization_id = getattr(user, "organization_id", None)
    return (
        acts_for(user, challenge.issuer_id)
        or is_staff(user)
        or (
            organization_id is not None
            and challenge.ndas.filter(organization_id=organization_id).exists()
        )
    )


@transaction.atomic
def nda_accept(*, challenge: Challenge, by) -> ChallengeNda:
    """A member of a verified organisation accepts the confidentiality terms."""
    organization = getattr(by, "organization", None)
    _require(
        organization is not None and organization.verified and acts_for(by, organization.pk),
        _("Only a member of a verified organisation can do this."),
    )
    if challenge.status not in Challenge.APPLYING:
        raise TransitionNotAllowed(_("This challenge is not open for applications."))
    nda, created = ChallengeNda.objects.get_or_create(
        challenge=challenge, organization=organization, defaults={"accepted_by": by}
    )
    if created:
        audit_log(action="challenges.challengenda.accepted", actor=by, target=nda)
    return nda


@transaction.atomic
def application_submit(*, challenge: Challenge, by, data: dict) -> ChallengeApplication:
    """揭榜: a verified organisation other than the issuer, once per lead, inside
    the window; no threshold of age, title or years is asked."""
    lead = getattr(by, "organization", None)
    _require(
        lead is not None and lead.verified and acts_for(by, lead.pk),
        _("Only a member of a verified organisation can do this."),
    )
    locked = for_update(Challenge.objects).get(pk=challenge.pk)
    today = timezone.localdate()
    if locked.status not in Challenge.APPLYING or not (
        locked.application_opens_on <= today <= locked.application_closes_on
    ):
        raise TransitionNotAllowed(_("This challenge is not open for applications."))
    errors: dict[str, list] = {}
    if lead.pk == locked.issuer_id:
        errors["lead"] = [_("The issuer does not take its own challenge.")]
    if not str(data.get("plan", "")).strip():
        errors["plan"] = [_("This field is required.")]
    if not str(data.get("team_leader", "")).strip():
        errors["team_leader"] = [_("This field is required.")]
    consortium = list(data.get("consortium") or [])
    if consortium and not locked.allow_consortium:
        errors["consortium"] = [_("This challenge takes no consortia.")]
    if any(o.pk in (lead.pk, locked.issuer_id) for o in consortium):
        errors["consortium"] = [_("Neither the lead nor the issuer is a consortium member.")]
    budget = money(data.get("budget"), "budget", errors, required=False)
    if errors:
        raise RuleBroken(errors)
    try:
        with transaction.atomic():
            application = ChallengeApplication.objects.create(
                challenge=locked,
                lead=lead,
                team_leader=str(data["team_leader"]).strip()[:100],
                members=[str(m).strip()[:100] for m in data.get("members") or [] if str(m).strip()],
                plan=str(data["plan"]).strip(),
                budget=budget,
                submitted_by=by,
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("Your organisation has applied already.")) from None
    application.consortium.set(consortium)
    audit_log(
        action="challenges.challengeapplication.submitted",
        actor=by,
        target=application,
        to_status=application.status,
    )
    notify(
        users=people_of(locked.issuer),
        kind="challenges.application",
        title=_("A team applied: %(title)s") % {"title": locked.title},
        body=str(lead),
        url=locked.get_absolute_url(),
    )
    return application


def application_withdraw(*, application: ChallengeApplication, by) -> ChallengeApplication:
    _require(acts_for(by, application.lead_id), _("Only the applying organisation can do this."))
    return apply_transition(application, "withdraw", by=by)


def application_check(
    *, application: ChallengeApplication, by, eligible: bool, reason: str = ""
) -> ChallengeApplication:
    """The formal check, by staff: admitted to review, or ineligible with a reason."""
    _require(
        oversees(by, application.challenge), _("Only staff of the issuer's market can do this.")
    )
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise RuleBroken({"reason": [_("Say why, so the applicant can act on it.")]})
    return apply_transition(
        application,
        "admit" if eligible else "refuse",
        by=by,
        reason=reason,
        changes={} if eligible else {"refuse_reason": reason[:500]},
    )


def challenge_act(*, challenge: Challenge, by, action: str, reason: str = "") -> Challenge:
    """close_applications, evaluate, leave_unawarded, cancel: by staff, or the issuer
    for closing and cancelling. Cancelling once teams applied needs a reason and
    tells them."""
    if action not in ("close_applications", "evaluate", "leave_unawarded", "cancel"):
        raise RuleBroken({"action": [_("Unknown action.")]})
    issuer_may = action in ("close_applications", "cancel") and acts_for(by, challenge.issuer_id)
    _require(oversees(by, challenge) or issuer_may, _("Only the issuer and staff can do this."))
    reason = (reason or "").strip()
    with transaction.atomic():
        applied = challenge.applications.exclude(status=ChallengeApplication.Status.WITHDRAWN)
        if action in ("cancel", "leave_unawarded") and applied.exists() and not reason:
            raise RuleBroken({"reason": [_("Teams have applied: say why.")]})
        done = apply_transition(challenge, action, by=by, reason=reason)
        if action in ("cancel", "leave_unawarded"):
            for application in applied:
                notify(
                    users=people_of(application.lead),
                    kind=f"challenges.challenge.{done.status}",
                    title=_("%(status)s: %(title)s")
                    % {"status": done.get_status_display(), "title": done.title},
                    body=reason,
                    url=done.get_absolute_url(),
                )
    return done


def _conflicted(challenge: Challenge, expert) -> bool:
    """The expert belongs to the issuer or to an applicant (lead or consortium)."""
    if expert.organization_id is None:
        return False
    parties = {challenge.issuer_id}
    for application in challenge.applications.exclude(status=ChallengeApplication.Status.WITHDRAWN):
        parties.add(application.lead_id)
        parties.update(application.consortium.values_list("pk", flat=True))
    return expert.organization_id in parties


@transaction.atomic
def reviewer_add(*, challenge: Challenge, by, expert) -> ChallengeReviewer:
    """Staff seat an expert; one of the issuer's or an applicant's organisation is excluded."""
    _require(oversees(by, challenge), _("Only staff of the issuer's market can do this."))
    if _conflicted(challenge, expert):
        raise RuleBroken(
            {"expert": [_("This expert belongs to the issuer or an applicant: excluded.")]}
        )
    try:
        with transaction.atomic():
            seat = ChallengeReviewer.objects.create(challenge=challenge, expert=expert, added_by=by)
    except IntegrityError:
        raise TransitionNotAllowed(_("This expert is on the panel already.")) from None
    audit_log(action="challenges.challengereviewer.added", actor=by, target=seat)
    return seat


@transaction.atomic
def review_submit(
    *,
    application: ChallengeApplication,
    by,
    scores: dict,
    comment: str = "",
    conflict: bool = False,
) -> ChallengeReview | None:
    """An expert of the panel scores an application in review on every
    criterion (0–100). One who declares a conflict leaves the panel instead,
    and nothing they scored counts."""
    application = ChallengeApplication.objects.select_related("challenge").get(pk=application.pk)
    challenge = application.challenge
    seat = ChallengeReviewer.objects.filter(challenge=challenge, expert__user=by).first()
    _require(seat is not None, _("Only an expert of the panel can do this."))
    if challenge.status not in Challenge.REVIEWING:
        raise TransitionNotAllowed(_("This challenge is not under evaluation."))
    if conflict:
        seat.reviews.all().delete()
        audit_log(action="challenges.challengereviewer.conflict_declared", actor=by, target=seat)
        seat.delete()
        return None
    if _conflicted(challenge, seat.expert):
        raise NotPermitted(_("This expert belongs to the issuer or an applicant: excluded."))
    if application.status != ChallengeApplication.Status.IN_REVIEW:
        raise TransitionNotAllowed(_("This application is not in review."))
    criteria = challenge.criteria
    errors: dict[str, list] = {}
    if not isinstance(scores, dict) or set(scores) != set(criteria):
        errors["scores"] = [
            _("Score every criterion of the challenge: %(names)s.") % {"names": "、".join(criteria)}
        ]
    elif any(
        not isinstance(v, int | float) or isinstance(v, bool) or not 0 <= v <= 100
        for v in scores.values()
    ):
        errors["scores"] = [_("Each score is a number from 0 to 100.")]
    if errors:
        raise RuleBroken(errors)
    total = (Decimal(sum(Decimal(str(v)) for v in scores.values())) / len(criteria)).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    try:
        with transaction.atomic():
            review = ChallengeReview.objects.create(
                application=application,
                reviewer=seat,
                scores={k: scores[k] for k in criteria},
                total=total,
                comment=(comment or "").strip()[:2000],
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("You have scored this application already.")) from None
    audit_log(
        action="challenges.challengereview.submitted",
        actor=by,
        target=review,
        data={"total": str(total)},
    )
    return review


def trimmed_score(totals: list[Decimal]) -> Decimal | None:
    """The mean of the reviewers' totals, without the highest and the lowest
    from TRIM_FROM_REVIEWERS reviewers on; None without reviews."""
    if not totals:
        return None
    ordered = sorted(totals)
    if len(ordered) >= TRIM_FROM_REVIEWERS:
        ordered = ordered[1:-1]
    return (sum(ordered) / len(ordered)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def challenge_select(*, challenge: Challenge, by, application: ChallengeApplication) -> Challenge:
    """Staff propose the taker once every application in review has its
    MIN_REVIEWERS scores: scores are computed, the proposed taker publicised
    for SELECTION_PUBLICITY_WORKDAYS working days with objections open."""
    _require(oversees(by, challenge), _("Only staff of the issuer's market can do this."))
    if application.challenge_id != challenge.pk:
        raise RuleBroken({"application": [_("This application is for another challenge.")]})
    in_review = list(challenge.applications.filter(status=ChallengeApplication.Status.IN_REVIEW))
    short = [a for a in in_review if a.reviews.count() < MIN_REVIEWERS]
    if short:
        raise RuleBroken(
            {
                "application": [
                    _("Every application in review needs %(n)d reviews first.")
                    % {"n": MIN_REVIEWERS}
                ]
            }
        )
    if application.pk not in {a.pk for a in in_review}:
        raise RuleBroken({"application": [_("Choose an application in review.")]})
    for row in in_review:
        row.score = trimmed_score(list(row.reviews.values_list("total", flat=True)))
        row.save(update_fields=["score", "updated_at"])
    application = next(row for row in in_review if row.pk == application.pk)
    apply_transition(application, "select", by=by)
    done = apply_transition(
        challenge, "select", by=by, changes={"selected_application": application}
    )
    publicity_open(
        subject=done,
        kind=Publicity.Kind.SELECTION,
        title=_("Proposed taker: %(title)s") % {"title": done.title},
        content={
            "challenge": done.code,
            "title": done.title,
            "taker": application.lead.name,
            "score": str(application.score),
            "reward_total": str(done.reward_total),
        },
        period_value=SELECTION_PUBLICITY_WORKDAYS,
        period_unit=Publicity.Unit.WORKING_DAY,
        by=by,
    )
    return done


@transaction.atomic
def challenge_award(*, challenge: Challenge, by) -> Challenge:
    """After a clean selection publicity: the proposed taker is awarded, the
    others are told they were not selected."""
    _require(oversees(by, challenge), _("Only staff of the issuer's market can do this."))
    notice = current(challenge, Publicity.Kind.SELECTION)
    if notice is None or not notice.is_over():
        raise TransitionNotAllowed(_("The selection publicity has not ended yet."))
    held = blocking(notice)
    if held:
        raise TransitionNotAllowed(held)
    done = apply_transition(challenge, "award", by=by)
    for other in done.applications.filter(status=ChallengeApplication.Status.IN_REVIEW):
        apply_transition(other, "pass_over", by=by)
    notify(
        users=[*people_of(done.issuer), *people_of(done.selected_application.lead)],
        kind="challenges.challenge.awarded",
        title=_("Awarded: %(title)s") % {"title": done.title},
        body=done.selected_application.lead.name,
        url=done.get_absolute_url(),
    )
    return done


@transaction.atomic
def challenge_from_demand(*, demand) -> Challenge | None:
    """A demand published with the 揭榜挂帅 flag gets a draft challenge, once,
    carrying its title, description, field, reward and deadline; its issuer is
    told to add the indicators and the score card and submit it for review."""
    if not demand.is_challenge or Challenge.objects.filter(demand=demand).exists():
        return None
    today = timezone.localdate()
    challenge = Challenge.objects.create(
        issuer_id=demand.organization_id,
        demand=demand,
        title=demand.title,
        public_summary=demand.description,
        tech_field=demand.tech_field,
        ip_terms=Challenge.IpTerms.SHARED,
        reward_total=demand.reward or demand.budget_max or Decimal("1.00"),
        milestones=[{"percent": p, "trigger": str(t)} for p, t in DEFAULT_MILESTONES],
        application_opens_on=today,
        application_closes_on=max(
            demand.deadline, today + datetime.timedelta(days=MIN_WINDOW_DAYS)
        ),
        implementation_months=12,
        evaluation_method=Challenge.EvaluationMethod.EXPERT_REVIEW,
        created_by=demand.created_by,
    )
    audit_log(
        action="challenges.challenge.created",
        target=challenge,
        to_status=challenge.status,
        data={"from_demand": demand.pk},
    )
    notify(
        users=people_of(demand.organization),
        kind="challenges.challenge.from_demand",
        title=_("A challenge draft for your demand: %(title)s") % {"title": demand.title},
        body=_("Add the quantified indicators and the score card, then submit it for review."),
        url=challenge.get_absolute_url(),
    )
    return challenge
