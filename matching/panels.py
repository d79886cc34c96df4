"""The "为您推荐" block of a demand's or an achievement's page (registry panels)."""

from accounts.permissions import acts_for
from matching import selectors, services
from matching.permissions import can_see_matches
from matching.reasons import say


def recommendations(side: str):
    def context(request, item) -> dict:
        if not can_see_matches(request.user, item) or item.status != item.PUBLISHED:
            return {}
        matches = list(selectors.matches_for(item, request.user, side=side))
        for match in matches:
            match.reason_text = "；".join(say(match.reasons))
        found = {
            "matches": matches,
            "match_side": side,
            "is_party": acts_for(request.user, item.organization_id),
        }
        if side == "demand":
            experts = services.experts_for_demand(item)
            for row in experts:
                row["reason_text"] = "；".join(say(row["reasons"]))
            found["experts"] = experts
        return found

    return context
