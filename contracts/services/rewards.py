"""The seller's distribution of a contract's net income to its research team."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from contracts.models import (
    Contract,
    RewardDistribution,
)
from contracts.permissions import records_reward, rewards_researchers, takes_reward
from contracts.services.common import _require
from portal.core.audit import audit_log
from portal.core.errors import RuleBroken, TransitionNotAllowed
from portal.core.money import round_fen


@transaction.atomic
def reward_save(
    *, contract: Contract, by, net_income: Decimal, team_ratio: Decimal, shares: list[dict]
) -> RewardDistribution:
    """The seller's distribution of the net income to its research team."""
    _require(records_reward(by, contract), _("The seller records the researchers' reward."))
    errors: dict[str, list[str]] = {}
    if not rewards_researchers(contract):
        raise RuleBroken(
            _("Researcher rewards apply to contracts sold by universities and research institutes.")
        )
    if not takes_reward(contract):
        raise TransitionNotAllowed(_("Rewards are recorded for registered contracts."))
    team_ratio = Decimal(team_ratio)
    if not Decimal("0.70") <= team_ratio <= Decimal("0.99"):
        errors["team_ratio"] = [_("The team's share must be between 70% and 99% (Hubei).")]
    if Decimal(net_income) < 0:
        errors["net_income"] = [_("The net income cannot be negative.")]
    cleaned, problems = [], []
    for n, share in enumerate(shares or [], start=1):
        name = str(share.get("name", "")).strip()
        try:
            ratio = Decimal(str(share.get("ratio")))
        except (ArithmeticError, ValueError, TypeError):
            ratio = None
        if not name or ratio is None or ratio <= 0 or ratio > 1:
            problems.append(
                _("Share %(n)d needs a name and a ratio above 0 and at most 1.") % {"n": n}
            )
        else:
            cleaned.append({"name": name, "ratio": str(ratio)})
    if not shares:
        problems.append(_("Name at least one person."))
    elif not problems and sum(Decimal(s["ratio"]) for s in cleaned) != Decimal("1"):
        problems.append(_("The individual shares must add up to 100% of the team's share."))
    if problems:
        errors["shares"] = problems
    if errors:
        raise RuleBroken(errors)
    reward, _created = RewardDistribution.objects.update_or_create(
        contract=contract,
        defaults={
            "net_income": round_fen(Decimal(net_income)),
            "team_ratio": team_ratio,
            "shares": cleaned,
            "updated_by": by,
        },
    )
    audit_log(
        action="contracts.reward.saved",
        actor=by,
        target=contract,
        data={"team_ratio": str(team_ratio), "shares": cleaned},
    )
    return reward
