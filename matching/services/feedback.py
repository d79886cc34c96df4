"""What the parties say of their matches; a demand's owner moves its next ranking."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from matching.models import Match, MatchFeedback
from portal.core.audit import audit_log
from portal.core.errors import RuleBroken


def feedback_give(*, match: Match, by, verdict: str) -> MatchFeedback:
    if verdict not in MatchFeedback.Verdict.values:
        raise RuleBroken({"verdict": [_("Choose relevant, irrelevant or contacted.")]})
    org_id = by.organization_id
    if org_id not in (
        match.demand.organization_id,
        match.achievement.organization_id,
    ) or not acts_for(by, org_id):
        raise RuleBroken(_("Only the two parties of a match can give feedback."))
    feedback, _created = MatchFeedback.objects.update_or_create(
        match=match, organization_id=org_id, defaults={"verdict": verdict, "user": by}
    )
    audit_log(action="matching.feedback.given", actor=by, target=match, data={"verdict": verdict})
    side = "demand" if org_id == match.demand.organization_id else "achievement"
    pk = match.demand_id if side == "demand" else match.achievement_id
    from matching.tasks import match_item_task

    transaction.on_commit(lambda: match_item_task.delay(side, pk))
    return feedback
