"""Shared reads of matches, already filtered by who is asking."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import is_broker, is_central, is_staff
from achievements.models import Achievement
from demands.models import Demand
from matching.models import ItemVector, Match, MatchFeedback, MatchRun
from portal.core.registry import Task

TOP = 20


def _published(qs: QuerySet) -> QuerySet:
    return qs.filter(
        demand__status=Demand.Status.PUBLISHED, achievement__status=Achievement.Status.PUBLISHED
    )


def _hide_dismissed(qs: QuerySet, user) -> QuerySet:
    """A pair the viewer's organisation marked irrelevant is not shown to it again."""
    if not getattr(user, "organization_id", None):
        return qs
    return qs.filter(
        ~Exists(
            MatchFeedback.objects.filter(
                match=OuterRef("pk"),
                organization_id=user.organization_id,
                verdict=MatchFeedback.Verdict.IRRELEVANT,
            )
        )
    )


def _with_my_feedback(qs: QuerySet, user) -> QuerySet:
    from django.db.models import Subquery

    org = getattr(user, "organization_id", None)
    return qs.annotate(
        my_verdict=Subquery(
            MatchFeedback.objects.filter(match=OuterRef("pk"), organization_id=org).values(
                "verdict"
            )[:1]
        )
    )


def matches_for(item, user, *, side: str) -> QuerySet[Match]:
    """The best published matches of a demand (side="demand") or an achievement."""
    other = "achievement" if side == "demand" else "demand"
    qs = _published(Match.objects.filter(**{side: item}))
    qs = _with_my_feedback(_hide_dismissed(qs, user), user)
    return qs.select_related(f"{other}__organization__market").order_by("-score", "id")[:TOP]


def matches_of_party(user) -> QuerySet[Match]:
    """Matches the account's organisation is a party to (for feedback)."""
    org = getattr(user, "organization_id", None)
    if not org:
        return Match.objects.none()
    return Match.objects.select_related("demand", "achievement").filter(
        Q(demand__organization_id=org) | Q(achievement__organization_id=org)
    )


def best_open_pairs(user, *, limit: int = 50) -> QuerySet[Match]:
    """For brokers and staff: the strongest pairs nobody has contacted yet."""
    qs = _published(Match.objects.all()).filter(
        ~Exists(
            MatchFeedback.objects.filter(
                match=OuterRef("pk"), verdict=MatchFeedback.Verdict.CONTACTED
            )
        )
    )
    if is_central(user):
        pass
    elif is_staff(user):
        market = user.staff_market_id
        qs = qs.filter(
            Q(demand__organization__market_id=market)
            | Q(achievement__organization__market_id=market)
        )
    elif is_broker(user):
        market = user.organization.market_id
        qs = qs.filter(
            Q(demand__organization__market_id=market)
            | Q(achievement__organization__market_id=market)
        )
    else:
        return Match.objects.none()
    return qs.select_related(
        "demand__organization__market", "achievement__organization__market"
    ).order_by("-score")[:limit]


def my_matches(user, *, item: str = "") -> QuerySet[Match]:
    """The matches of the account's organisation's items, both sides, best
    first; `item` ("demand-12", "achievement-5") keeps one item's."""
    org = getattr(user, "organization_id", None)
    if not org:
        return Match.objects.none()
    qs = _published(
        Match.objects.filter(Q(demand__organization_id=org) | Q(achievement__organization_id=org))
    )
    side, _dash, pk = item.partition("-")
    if side in ("demand", "achievement") and pk.isdigit():
        qs = qs.filter(**{f"{side}_id": int(pk), f"{side}__organization_id": org})
    qs = _with_my_feedback(_hide_dismissed(qs, user), user)
    return qs.select_related("demand__organization", "achievement__organization").order_by(
        "-score", "id"
    )


def my_matched_items(user) -> list[tuple[str, str]]:
    """The organisation's items that have matches: ("demand-12", title) pairs
    for the filter of /matching/mine/."""
    org = getattr(user, "organization_id", None)
    if not org:
        return []
    qs = _published(
        Match.objects.filter(Q(demand__organization_id=org) | Q(achievement__organization_id=org))
    )
    demands = qs.filter(demand__organization_id=org).values_list("demand_id", "demand__title")
    achievements = qs.filter(achievement__organization_id=org).values_list(
        "achievement_id", "achievement__title"
    )
    return [
        (f"demand-{pk}", title) for pk, title in demands.distinct().order_by("demand__title")
    ] + [
        (f"achievement-{pk}", title)
        for pk, title in achievements.distinct().order_by("achievement__title")
    ]


def latest_run() -> MatchRun | None:
    return MatchRun.objects.order_by("-created_at", "-id").first()


def unanswered_matches(user) -> int:
    """How many matches of the organisation's items it has not given feedback on."""
    org = getattr(user, "organization_id", None)
    if not org:
        return 0
    qs = _published(
        Match.objects.filter(Q(demand__organization_id=org) | Q(achievement__organization_id=org))
    )
    return qs.filter(
        ~Exists(MatchFeedback.objects.filter(match=OuterRef("pk"), organization_id=org))
    ).count()


def workspace_tasks(user) -> list[Task]:
    """Recommendations the organisation has not looked at; brokers' open pairs."""
    tasks = []
    if getattr(user, "organization_id", None):
        tasks.append(
            Task(
                _("Recommendations to look at"), unanswered_matches(user), reverse("matching:mine")
            )
        )
    if is_broker(user):
        tasks.append(
            Task(
                _("Open pairs to follow up"), len(best_open_pairs(user)), reverse("matching:board")
            )
        )
    return tasks


def embedding_failures():
    """Items whose embedding failed, newest first: matched by words alone until
    the backfill (or their next publication) embeds them."""
    return ItemVector.objects.exclude(error="").order_by("-updated_at")
