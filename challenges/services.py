"""The rules of open challenges (MARKET.md §3.3–§3.4), from the draft to the
award: pages, API and jobs call these; every change is audited."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from accounts.permissions import acts_for, in_scope, is_staff
from accounts.selectors import people_of
from challenges.models import (
    Challenge,
    ChallengeApplication,
    ChallengeMilestone,
    ChallengeNda,
    ChallengeReport,
    ChallengeReview,
    ChallengeReviewer,
)
from challenges.thresholds import threshold_flags
from contracts.models import Contract, Payment
from contracts.services import contract_create
from market.common import money, next_number
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.files import PDF_ONLY, check_upload
from portal.core.locks import for_update
from portal.core.money import yuan
from portal.core.notifications import notify
from portal.core.reference import TechField
from portal.core.workdays import months_later
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


# --- the agreement, the implementation, the acceptance (MARKET.md §3.3) --------

ACCEPTANCE_RETEST_MONTHS = 3  # one re-test within three months of a failed acceptance
RECTIFY_MAX_MONTHS = 6


def taker_id(challenge: Challenge) -> int | None:
    application = challenge.selected_application
    return application.lead_id if application else None


def is_party(user, challenge: Challenge) -> bool:
    """The issuer, the taker and staff of the issuer's market."""
    return (
        acts_for(user, challenge.issuer_id)
        or acts_for(user, taker_id(challenge))
        or oversees(user, challenge)
    )


def _tell(challenge: Challenge, *, kind: str, title: str, body: str = "") -> None:
    users = [*people_of(challenge.issuer)]
    if challenge.selected_application_id:
        users += people_of(challenge.selected_application.lead)
    notify(users=users, kind=kind, title=title, body=body, url=challenge.get_absolute_url())


@transaction.atomic
def agreement_draft(*, challenge: Challenge, by) -> Contract:
    """After the award, the issuer or the taker drafts the agreement as a
    technology development contract (issuer buys, taker sells) for the reward;
    it then follows the contracts flow: both confirm, submit, staff register."""
    locked = for_update(Challenge.objects).get(pk=challenge.pk)
    taker = taker_id(locked)
    _require(
        acts_for(by, locked.issuer_id) or acts_for(by, taker),
        _("Only the issuer and the taker can do this."),
    )
    if locked.status != Challenge.Status.AWARDED:
        raise TransitionNotAllowed(_("The agreement follows the award."))
    if locked.contract_id:
        raise TransitionNotAllowed(_("The agreement is drafted already."))
    today = timezone.localdate()
    demand = (
        locked.demand
        if locked.demand_id and locked.demand.organization_id == locked.issuer_id
        else None
    )
    with translation.override(settings.LANGUAGE_CODE):  # a contract is written in Chinese
        title = _("%(title)s — challenge agreement") % {"title": locked.title}
    contract = contract_create(
        by=by,
        data={
            "title": title[:200],
            "contract_type": Contract.Type.DEVELOPMENT,
            "buyer_id": locked.issuer_id,
            "seller_id": taker,
            "demand": demand,
            "signed_on": today,
            "valid_from": today,
            "valid_to": months_later(today, locked.implementation_months),
            "amount": locked.reward_total,
            "tech_transaction_amount": locked.reward_total,
            "payment_method": (
                Contract.PaymentMethod.INSTALMENTS
                if len(locked.milestones) > 1
                else Contract.PaymentMethod.LUMP_SUM
            ),
            "tech_field": locked.tech_field,
            "pricing_method": Contract.PricingMethod.AGREEMENT,
            "market_deal": locked.code or "",
        },
    )
    Challenge.objects.filter(pk=locked.pk).update(contract=contract, updated_at=timezone.now())
    audit_log(
        action="challenges.challenge.agreement_drafted",
        actor=by,
        target=locked,
        data={"contract": contract.pk},
    )
    return contract


def agreement_guard(*, contract: Contract) -> None:
    """A challenge's agreement is submitted and registered only while the
    challenge stands awarded (not after it was cancelled or terminated)."""
    challenge = Challenge.objects.filter(contract=contract).first()
    if challenge is not None and challenge.status != Challenge.Status.AWARDED:
        raise TransitionNotAllowed(
            _("The challenge of this agreement is “%(status)s”.")
            % {"status": challenge.get_status_display()}
        )


def milestone_amounts(total: Decimal, percents: list[int]) -> list[Decimal]:
    """Each milestone's share of the total, in fen; the last takes the rounding
    so that they add up to the total exactly."""
    shares = [(total * p / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) for p in percents[:-1]]
    return [*shares, total - sum(shares, Decimal("0.00"))]


def _stage(order: int, count: int) -> str:
    """The first milestone is due at signing, the last after acceptance, those
    between after the midterm review; a single one after acceptance."""
    if order == count:
        return ChallengeMilestone.Stage.ACCEPTANCE
    return ChallengeMilestone.Stage.SIGNING if order == 1 else ChallengeMilestone.Stage.MIDTERM


def agreement_registered(*, contract: Contract, by) -> None:
    """Follows a contract's registration, in its transaction: the challenge
    whose agreement it is becomes 已签约 and its reward is split into the
    milestone payments, over the registered technology transaction amount."""
    challenge = Challenge.objects.filter(contract=contract, status=Challenge.Status.AWARDED).first()
    if challenge is None:
        return
    signed = apply_transition(challenge, "sign", by=by, audit_data={"contract": contract.pk})
    apply_transition(signed.selected_application, "contract", by=by)
    percents = [int(m["percent"]) for m in signed.milestones]
    amounts = milestone_amounts(contract.tech_transaction_amount, percents)
    ChallengeMilestone.objects.bulk_create(
        ChallengeMilestone(
            challenge=signed,
            order=n,
            percent=m["percent"],
            trigger=m["trigger"],
            stage=_stage(n, len(percents)),
            amount=amount,
        )
        for n, (m, amount) in enumerate(zip(signed.milestones, amounts, strict=True), start=1)
    )
    _tell(
        signed,
        kind="challenges.challenge.agreement_signed",
        title=_("Agreement registered: %(title)s") % {"title": signed.title},
        body=contract.registration_number,
    )


def challenge_start(*, challenge: Challenge, by) -> Challenge:
    """The task book is out: the taker (or the issuer, or staff) starts the work."""
    _require(is_party(by, challenge), _("Only the issuer, the taker and staff can do this."))
    return apply_transition(challenge, "start", by=by)


def _clean_evidence(challenge: Challenge, value, *, complete: bool, errors: dict) -> list[dict]:
    """Each row names an indicator of the 榜单, the result measured and the
    test method the 榜单 names for it; an acceptance covers every indicator."""
    methods = {i["name"]: " ".join(i["method"].split()) for i in challenge.indicators}
    if value in (None, ""):
        value = []
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        errors["evidence"] = [_("Give each indicator's result and test method.")]
        return []
    rows, problems = [], []
    for row in value:
        name = str(row.get("name", "")).strip()
        result = str(row.get("result", "")).strip()[:200]
        method = " ".join(str(row.get("method", "")).split())
        if name not in methods:
            problems.append(_("“%(name)s” is not an indicator of the challenge.") % {"name": name})
        elif not result:
            problems.append(_("State the result measured for “%(name)s”.") % {"name": name})
        elif method != methods[name]:
            problems.append(
                _("“%(name)s” is measured by the challenge's test method: %(method)s.")
                % {"name": name, "method": methods[name]}
            )
        elif name in {r["name"] for r in rows}:
            problems.append(_("“%(name)s” is given twice.") % {"name": name})
        else:
            rows.append({"name": name, "result": result, "method": method})
    missing = [n for n in methods if n not in {r["name"] for r in rows}]
    if complete and missing and not problems:
        problems.append(_("Evidence is missing for: %(names)s.") % {"names": "、".join(missing)})
    if problems:
        errors["evidence"] = problems
    return rows


@transaction.atomic
def report_submit(
    *, challenge: Challenge, by, kind: str, summary: str, evidence=None, document=None
) -> ChallengeReport:
    """The taker reports: at the midterm (once in progress, until it passes),
    at acceptance (after the midterm passed; once more within three months
    of a failed acceptance). The acceptance measures every indicator by its
    named test method and attaches the test report."""
    locked = for_update(Challenge.objects).get(pk=challenge.pk)
    _require(acts_for(by, taker_id(locked)), _("Only the taker can do this."))
    if kind not in ChallengeReport.Kind.values:
        raise RuleBroken({"kind": [_("Choose one of the listed values.")]})
    today = timezone.localdate()
    if kind == ChallengeReport.Kind.MIDTERM:
        if locked.status != Challenge.Status.IN_PROGRESS or locked.midterm_passed_on:
            raise TransitionNotAllowed(_("A midterm report is due while the work is in progress."))
        action = "midterm"
    else:
        retest = locked.status == Challenge.Status.ACCEPTANCE_FAILED
        if not (
            locked.status == Challenge.Status.IN_PROGRESS and locked.midterm_passed_on
        ) and not (
            retest and today <= months_later(locked.acceptance_failed_on, ACCEPTANCE_RETEST_MONTHS)
        ):
            raise TransitionNotAllowed(
                _("Acceptance follows a passed midterm review (one re-test within %(n)d months).")
                % {"n": ACCEPTANCE_RETEST_MONTHS}
            )
        action = "acceptance"
    errors: dict[str, list] = {}
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = [_("This field is required.")]
    rows = _clean_evidence(
        locked, evidence, complete=kind == ChallengeReport.Kind.ACCEPTANCE, errors=errors
    )
    checked = None
    try:
        checked = check_upload(document, allowed=PDF_ONLY) if document else None
    except ValidationError as exc:
        errors["document"] = exc.messages
    if checked is None and kind == ChallengeReport.Kind.ACCEPTANCE and "document" not in errors:
        errors["document"] = [_("Attach the test report (PDF).")]
    if errors:
        raise RuleBroken(errors)
    report = ChallengeReport(
        challenge=locked, kind=kind, summary=summary, evidence=rows, submitted_by=by
    )
    if checked is not None:
        report.document.save("report.pdf", checked.upload, save=False)
        report.document_name = checked.name[:150]
    report.save()
    apply_transition(locked, action, by=by, audit_data={"report": report.pk})
    audit_log(
        action=f"challenges.challengereport.{kind}_submitted",
        actor=by,
        target=report,
        data={"indicators": [r["name"] for r in rows]},
    )
    notify(
        users=people_of(locked.issuer),
        kind="challenges.report.submitted",
        title=_("%(kind)s: %(title)s") % {"kind": report.get_kind_display(), "title": locked.title},
        url=locked.get_absolute_url(),
    )
    return report


@transaction.atomic
def report_decide(
    *,
    report: ChallengeReport,
    by,
    result: str,
    comment: str = "",
    rectify_by: datetime.date | None = None,
) -> ChallengeReport:
    """Staff decide on a report. Midterm: pass (the midterm payment falls
    due), rectify by a date (the taker reports again), fail (terminated).
    Acceptance: pass (the last payment falls due), fail (one re-test within
    three months; a failed re-test terminates)."""
    report = for_update(ChallengeReport.objects).get(pk=report.pk)
    challenge = report.challenge
    _require(oversees(by, challenge), _("Only staff of the issuer's market can do this."))
    if report.result:
        raise TransitionNotAllowed(_("This report is decided already."))
    allowed = (
        ("pass", "rectify", "fail")
        if report.kind == ChallengeReport.Kind.MIDTERM
        else ("pass", "fail")
    )
    errors: dict[str, list] = {}
    if result not in allowed:
        errors["result"] = [_("Choose one of the listed values.")]
    comment = (comment or "").strip()
    if result in ("rectify", "fail") and not comment:
        errors["comment"] = [_("Say why, so the taker can act on it.")]
    today = timezone.localdate()
    if result == "rectify" and not (
        isinstance(rectify_by, datetime.date)
        and today < rectify_by <= months_later(today, RECTIFY_MAX_MONTHS)
    ):
        errors["rectify_by"] = [
            _("Set the rectification deadline within %(n)d months.") % {"n": RECTIFY_MAX_MONTHS}
        ]
    if errors:
        raise RuleBroken(errors)
    report.result, report.comment = result, comment[:2000]
    report.rectify_by = rectify_by if result == "rectify" else None
    report.decided_by, report.decided_at = by, timezone.now()
    report.save(update_fields=["result", "comment", "rectify_by", "decided_by", "decided_at"])
    audit_log(
        action=f"challenges.challengereport.{result}",
        actor=by,
        target=report,
        reason=comment,
    )
    if report.kind == ChallengeReport.Kind.MIDTERM:
        if result == "fail":
            done = apply_transition(challenge, "terminate", by=by, reason=comment)
        else:
            done = apply_transition(
                challenge,
                "resume",
                by=by,
                reason=comment,
                changes={
                    "midterm_passed_on": today if result == "pass" else None,
                    "rectify_by": rectify_by if result == "rectify" else None,
                },
            )
    elif result == "pass":
        done = apply_transition(challenge, "accept", by=by, reason=comment)
        done = _close_when_paid(done, by=by)
    elif challenge.acceptance_failed_on:  # the re-test failed too
        done = apply_transition(challenge, "terminate", by=by, reason=comment)
    else:
        done = apply_transition(
            challenge,
            "fail_acceptance",
            by=by,
            reason=comment,
            changes={"acceptance_failed_on": today},
        )
    _tell(
        done,
        kind=f"challenges.challenge.{done.status}",
        title=_("%(kind)s: %(result)s — %(title)s")
        % {
            "kind": report.get_kind_display(),
            "result": report.get_result_display(),
            "title": done.title,
        },
        body=comment,
    )
    return report


def milestone_due(milestone: ChallengeMilestone, challenge: Challenge) -> bool:
    if milestone.stage == ChallengeMilestone.Stage.SIGNING:
        return True  # the milestones exist from the signed agreement on
    if milestone.stage == ChallengeMilestone.Stage.MIDTERM:
        return challenge.midterm_passed_on is not None
    return challenge.status in (Challenge.Status.ACCEPTED, Challenge.Status.CLOSED)


def _close_when_paid(challenge: Challenge, *, by) -> Challenge:
    """Accepted and every milestone paid: the challenge closes."""
    unpaid = challenge.milestone_payments.filter(payment__isnull=True).exists()
    if challenge.status == Challenge.Status.ACCEPTED and not unpaid:
        return apply_transition(challenge, "close", by=by)
    return challenge


@transaction.atomic
def milestone_record(*, milestone: ChallengeMilestone, by, payment: Payment) -> ChallengeMilestone:
    """The issuer (or staff) records which verified payment of the agreement
    settled a milestone that fell due: of the milestone's amount exactly,
    once. The last one, after acceptance, closes the challenge."""
    milestone = for_update(ChallengeMilestone.objects).get(pk=milestone.pk)
    challenge = Challenge.objects.get(pk=milestone.challenge_id)
    _require(
        acts_for(by, challenge.issuer_id) or oversees(by, challenge),
        _("Only the issuer and staff can do this."),
    )
    if milestone.payment_id:
        raise TransitionNotAllowed(_("This milestone is paid already."))
    if not milestone_due(milestone, challenge):
        raise TransitionNotAllowed(
            _("This milestone is not due yet: %(when)s.") % {"when": milestone.get_stage_display()}
        )
    errors: dict[str, list] = {}
    if payment.contract_id != challenge.contract_id:
        errors["payment"] = [_("The payment is under another contract.")]
    elif payment.status != Payment.Status.VERIFIED:
        errors["payment"] = [_("Only a payment the office verified settles a milestone.")]
    elif payment.amount != milestone.amount:
        errors["payment"] = [
            _("The milestone is %(amount)s; the payment is %(paid)s.")
            % {"amount": yuan(milestone.amount), "paid": yuan(payment.amount)}
        ]
    elif ChallengeMilestone.objects.filter(payment=payment).exists():
        errors["payment"] = [_("This payment settled another milestone.")]
    if errors:
        raise RuleBroken(errors)
    milestone.payment, milestone.recorded_by, milestone.recorded_at = payment, by, timezone.now()
    milestone.save(update_fields=["payment", "recorded_by", "recorded_at"])
    audit_log(
        action="challenges.challengemilestone.paid",
        actor=by,
        target=milestone,
        data={"payment": payment.pk, "amount": str(milestone.amount), "order": milestone.order},
    )
    _close_when_paid(challenge, by=by)
    return milestone


def challenge_terminate(*, challenge: Challenge, by, reason: str) -> Challenge:
    """Staff end the implementation, with a reason both parties are told."""
    _require(oversees(by, challenge), _("Only staff of the issuer's market can do this."))
    reason = (reason or "").strip()
    if not reason:
        raise RuleBroken({"reason": [_("Say why.")]})
    with transaction.atomic():
        done = apply_transition(challenge, "terminate", by=by, reason=reason)
        _tell(
            done,
            kind="challenges.challenge.terminated",
            title=_("Terminated: %(title)s") % {"title": done.title},
            body=reason,
        )
    return done


@transaction.atomic
def challenge_republish(*, challenge: Challenge, by) -> Challenge:
    """An unawarded challenge issued again: a new draft with the same 榜单 and
    a fresh window, for the issuer to review and submit."""
    _require(acts_for(by, challenge.issuer_id), _("Only the issuer can do this."))
    if challenge.status != Challenge.Status.UNAWARDED:
        raise TransitionNotAllowed(_("Only a challenge that was not awarded is issued again."))
    today = timezone.localdate()
    copied = {f: getattr(challenge, f) for f in CHALLENGE_FIELDS}
    copied.update(
        application_opens_on=today,
        application_closes_on=today + datetime.timedelta(days=MIN_WINDOW_DAYS + 10),
    )
    clean = _check(copied)
    again = Challenge.objects.create(
        issuer_id=challenge.issuer_id, republished_from=challenge, created_by=by, **clean
    )
    audit_log(
        action="challenges.challenge.created",
        actor=by,
        target=again,
        to_status=again.status,
        data={"republished_from": challenge.pk},
    )
    return again


def challenges_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: applications close at the window's end; an acceptance
    that failed and was not re-tested within three months terminates."""
    today = today or timezone.localdate()
    done = {"closed": 0, "terminated": 0}
    for challenge in Challenge.objects.filter(
        status=Challenge.Status.PUBLISHED, application_closes_on__lt=today
    ):
        try:
            apply_transition(
                challenge, "close_applications", by=None, reason=_("The application window ended.")
            )
            done["closed"] += 1
        except TransitionNotAllowed:
            continue  # moved meanwhile
    for challenge in Challenge.objects.filter(status=Challenge.Status.ACCEPTANCE_FAILED):
        if today > months_later(challenge.acceptance_failed_on, ACCEPTANCE_RETEST_MONTHS):
            try:
                apply_transition(
                    challenge,
                    "terminate",
                    by=None,
                    reason=_("No re-test within %(n)d months of the failed acceptance.")
                    % {"n": ACCEPTANCE_RETEST_MONTHS},
                )
                done["terminated"] += 1
            except TransitionNotAllowed:
                continue
    return done
