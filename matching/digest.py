"""The daily digest of new matches: one notification (and e-mail) per account,
never the same pair twice."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from achievements.models import Achievement
from demands.models import Demand
from matching.models import Match, MatchFeedback, MatchNotice
from portal.core.notifications import notify

THRESHOLD = 0.5
SHOWN = 10


def _new_for(owner_side: str):
    """Matches above the threshold not yet told to the creator of `owner_side`'s item."""
    user_field = f"{owner_side}__created_by"
    told = MatchNotice.objects.filter(
        user=OuterRef(user_field), demand=OuterRef("demand"), achievement=OuterRef("achievement")
    )
    dismissed = MatchFeedback.objects.filter(
        match=OuterRef("pk"),
        organization=OuterRef(f"{owner_side}__organization"),
        verdict=MatchFeedback.Verdict.IRRELEVANT,
    )
    return (
        Match.objects.filter(
            score__gte=THRESHOLD,
            demand__status=Demand.Status.PUBLISHED,
            achievement__status=Achievement.Status.PUBLISHED,
            **{f"{user_field}__isnull": False},
            **{f"{user_field}__is_active": True},
        )
        .filter(~Exists(told), ~Exists(dismissed))
        .select_related(f"{owner_side}__created_by", "demand", "achievement")
        .order_by("-score")
    )


@transaction.atomic
def send_digests() -> int:
    """Returns how many accounts were notified."""
    per_user: dict = defaultdict(list)
    for side in ("demand", "achievement"):
        for match in _new_for(side):
            user = getattr(match, side).created_by
            per_user[user].append((side, match))
    for user, items in per_user.items():
        lines = []
        for side, match in items[:SHOWN]:
            mine, other = (
                (match.demand, match.achievement)
                if side == "demand"
                else (match.achievement, match.demand)
            )
            lines.append(f"· {mine.title} ↔ {other.title}（{match.score:.2f}）")
        if len(items) > SHOWN:
            lines.append(_("… and %(n)d more.") % {"n": len(items) - SHOWN})
        notify(
            users=[user],
            kind="matching.digest",
            title=_("%(n)d new recommendations for you") % {"n": len(items)},
            body="\n".join(lines),
            url=reverse("matching:mine"),
        )
        MatchNotice.objects.bulk_create(
            [
                MatchNotice(user=user, demand_id=m.demand_id, achievement_id=m.achievement_id)
                for _side, m in items
            ],
            ignore_conflicts=True,
        )
    return len(per_user)
