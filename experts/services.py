"""Every write to experts and expert reviews."""

import random
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import in_scope
from experts.models import Expert, ExpertAssignment, ExpertReview
from experts.permissions import can_edit_expert, can_score
from portal.core.audit import audit_log
from portal.core.errors import NotPermitted, RuleBroken, TransitionNotAllowed
from portal.core.locks import for_update
from portal.core.notifications import notify
from portal.core.reference import TechField
from portal.core.workflow import apply_transition
from portal.library.search import search_vector
from portal.library.terms import terms_of


@transaction.atomic
def expert_save(*, expert: Expert, by=None) -> Expert:
    """Create or update a profile (staff, or the expert keeping their own)."""
    if by is not None and not can_edit_expert(by, expert):
        raise NotPermitted(_("Only staff or the expert can edit this profile."))
    expert.keywords = [k.strip() for k in expert.keywords if k.strip()]
    expert.full_clean(exclude=["match_terms", "search_vector"])
    expert.match_terms = terms_of(expert.search_texts())
    created = expert.pk is None
    expert.save()
    expert_reindex(expert)
    audit_log(
        action="experts.expert.created" if created else "experts.expert.updated",
        actor=by,
        target=expert,
        data={"name": expert.name, "available": expert.available},
    )
    return expert


def expert_reindex(expert: Expert) -> None:
    """Recompute the expert's search vector (name and fields A, …) and matcher terms."""
    texts = expert.search_texts()
    Expert.objects.filter(pk=expert.pk).update(
        search_vector=search_vector(a=[expert.name, *texts["a"]], b=texts["b"], c=texts["c"]),
        match_terms=terms_of(texts),
    )


def _qualified(achievement, excluded_orgs: Iterable[int]):
    """Available experts of the achievement's field or sharing a keyword with it,
    never of an organisation that is a party."""
    keywords = [k for k in achievement.keywords if k]
    qs = Expert.objects.filter(available=True).filter(
        Q(tech_fields__contains=[achievement.tech_field]) | Q(keywords__overlap=keywords)
    )
    excluded = [o for o in excluded_orgs if o]
    if excluded:
        qs = qs.exclude(organization_id__in=excluded)
    return qs


def parties_of(achievement) -> set[int]:
    """The owner, and every organisation on a contract that names the achievement."""
    parties = {achievement.organization_id}
    for buyer, seller in achievement.contracts.values_list("buyer_id", "seller_id"):
        parties |= {buyer, seller}
    return parties


def _why(expert: Expert, achievement) -> str:
    reasons = []
    if achievement.tech_field in expert.tech_fields:
        reasons.append(_("field: %(field)s") % {"field": TechField(achievement.tech_field).label})
    shared = [k for k in expert.keywords if k in achievement.keywords]
    if shared:
        reasons.append(_("expertise: %(words)s") % {"words": "、".join(shared)})
    return "；".join(reasons)[:300]


def draw_experts(*, achievement, n: int, rng: random.Random | None = None) -> list[Expert]:
    """n qualified experts, the least used first, chosen at random among equals.

    Experts with fewer assignments so far come first, so that nobody is
    over-used; within a count, the order is random.
    """
    rng = rng or random.SystemRandom()
    pool = list(
        _qualified(achievement, parties_of(achievement)).annotate(load=Count("assignments"))
    )
    rng.shuffle(pool)
    pool.sort(key=lambda e: e.load)  # stable: random within the same load
    return pool[:n]


@transaction.atomic
def review_open(*, achievement, by, n: int = 3, rng: random.Random | None = None) -> ExpertReview:
    if not in_scope(by, achievement.organization.market_id):
        raise NotPermitted(_("Only staff of the achievement's market can open a review."))
    if achievement.status != achievement.PUBLISHED:
        raise TransitionNotAllowed(_("Only published achievements are reviewed by experts."))
    if not 1 <= n <= 9:
        raise RuleBroken({"n": [_("Ask between 1 and 9 experts.")]})
    experts = draw_experts(achievement=achievement, n=n, rng=rng)
    if len(experts) < n:
        raise RuleBroken(
            _("Only %(found)d qualified experts are available; ask fewer.")
            % {"found": len(experts)}
        )
    review = ExpertReview.objects.create(achievement=achievement, opened_by=by)
    for expert in experts:
        if expert.organization_id in parties_of(achievement):  # never: checked twice
            raise RuntimeError("conflict of interest in an expert draw")
        assignment = ExpertAssignment.objects.create(
            review=review, expert=expert, reason=_why(expert, achievement)
        )
        if expert.user_id:
            notify(
                users=[expert.user],
                kind="experts.assignment",
                title=_("Please review: %(title)s") % {"title": achievement.title},
                url=assignment.get_absolute_url(),
            )
    audit_log(
        action="experts.review.opened",
        actor=by,
        target=achievement,
        data={"review": review.pk, "experts": [e.pk for e in experts]},
    )
    return review


@transaction.atomic
def assignment_score(
    *, assignment: ExpertAssignment, by, scores: dict, comments: str = ""
) -> ExpertAssignment:
    """The assigned expert scores 1–5 on each point of the rubric."""
    assignment = (
        for_update(ExpertAssignment.objects)
        .select_related("expert", "review")
        .get(pk=assignment.pk)
    )
    if not can_score(by, assignment):
        raise NotPermitted(_("Only the assigned expert can score."))
    if assignment.review.status != ExpertReview.Status.OPEN:
        raise TransitionNotAllowed(_("This review is complete."))
    errors = {}
    for name in ExpertAssignment.RUBRIC:
        value = scores.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[name] = [_("Score from 1 to 5.")]
        else:
            setattr(assignment, name, value)
    if errors:
        raise RuleBroken(errors)
    assignment.comments = (comments or "").strip()
    assignment.full_clean(exclude=["expert", "review"])
    rescored = assignment.scored_at is not None
    assignment.scored_at = timezone.now()
    assignment.save()
    audit_log(
        action="experts.assignment.rescored" if rescored else "experts.assignment.scored",
        actor=by,
        target=assignment,
        data={
            "review": assignment.review_id,
            "scores": {name: getattr(assignment, name) for name in ExpertAssignment.RUBRIC},
        },
    )
    review = for_update(ExpertReview.objects).get(pk=assignment.review_id)
    unscored = review.assignments.filter(scored_at__isnull=True).exists()
    if review.status == ExpertReview.Status.OPEN and not unscored:
        apply_transition(
            review,
            "complete",
            by=by,
            changes={"completed_at": timezone.now()},
            audit_action="experts.review.complete",
        )
    return assignment


def review_summary(review: ExpertReview) -> dict | None:
    """Average scores per point once every expert has scored."""
    if review.status != ExpertReview.Status.COMPLETE:
        return None
    rows = list(review.assignments.all())
    summary = {
        name: round(sum(getattr(a, name) for a in rows) / len(rows), 1)
        for name in ExpertAssignment.RUBRIC
    }
    summary["overall"] = round(sum(summary.values()) / len(ExpertAssignment.RUBRIC), 1)
    summary["experts"] = len(rows)
    summary["comments"] = [a.comments for a in rows if a.comments]
    return summary
