"""The valuation calculator: cost, income and market methods (DOMAIN.md).

Every method returns a value with a low–high range and a plain explanation of
the computation. Money is Decimal, rounded half-up to the fen.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from portal.core import registry
from portal.core.errors import RuleBroken
from portal.core.money import MONEY_MAX, amount, round_fen
from portal.core.reference import TechField

# The range around a value: ±15% for the cost and income methods (their inputs are
# estimates); the market method uses the spread of its comparables.
SPREAD = Decimal("0.15")
# No technology is used or useful for longer.
YEARS_MAX = Decimal("100")


@dataclass
class Valuation:
    method: str
    value: Decimal
    low: Decimal
    high: Decimal
    explanation: str
    comparables: int | None = None


def _decimal(
    data: dict,
    name: str,
    errors: dict,
    *,
    required=True,
    default=None,
    minimum: Decimal | None = Decimal("0"),
    maximum: Decimal | None = MONEY_MAX,
):
    raw = data.get(name, default)
    if raw is None or raw == "":
        if required:
            errors[name] = [_("This field is required.")]
        return default
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        errors[name] = [_("Enter a number.")]
        return None
    if not value.is_finite():
        errors[name] = [_("Enter a number.")]
        return None
    if minimum is not None and value < minimum:
        errors[name] = [_("Must be at least %(min)s.") % {"min": minimum}]
    elif maximum is not None and value > maximum:
        errors[name] = [_("Must be at most %(max)s.") % {"max": maximum}]
    return value


def _range(value: Decimal) -> tuple[Decimal, Decimal]:
    return round_fen(value * (1 - SPREAD)), round_fen(value * (1 + SPREAD))


def cost_method(data: dict) -> Valuation:
    """value = replacement cost × remaining ÷ (used + remaining)."""
    errors: dict = {}
    cost = _decimal(data, "replacement_cost", errors)
    used = _decimal(data, "years_used", errors, maximum=YEARS_MAX)
    remaining = _decimal(data, "years_remaining", errors, maximum=YEARS_MAX)
    if not errors and used + remaining <= 0:
        errors["years_remaining"] = [_("The useful life (used + remaining) must be positive.")]
    if errors:
        raise RuleBroken(errors)
    newness = remaining / (used + remaining)
    value = round_fen(cost * newness)
    low, high = _range(value)
    return Valuation(
        "cost",
        value,
        low,
        high,
        _(
            "Replacement cost %(cost)s × remaining life %(remaining)s ÷ (used %(used)s + remaining "
            "%(remaining)s) = %(value)s; range ±15%%."
        )
        % {"cost": amount(cost), "remaining": remaining, "used": used, "value": amount(value)},
    )


def income_method(data: dict) -> Valuation:
    """value = Σ revenueᵢ × margin × share ÷ (1 + rate)ⁱ."""
    errors: dict = {}
    revenues_raw = data.get("revenues")
    revenues: list[Decimal] = []
    if not isinstance(revenues_raw, list | tuple) or not revenues_raw:
        errors["revenues"] = [_("Give the expected revenue of each year, e.g. [1000000, 1500000].")]
    else:
        for n, raw in enumerate(revenues_raw, start=1):
            try:
                value = Decimal(str(raw))
                if not value.is_finite() or value < 0 or value > MONEY_MAX:
                    raise InvalidOperation
                revenues.append(value)
            except (InvalidOperation, ValueError):
                errors["revenues"] = [
                    _("Year %(n)d: enter a revenue from 0 to %(max)s.")
                    % {"n": n, "max": amount(MONEY_MAX)}
                ]
                break
        if len(revenues_raw) > 30:
            errors["revenues"] = [_("At most 30 years.")]
    margin = _decimal(data, "profit_margin", errors, maximum=Decimal("1"))
    share = _decimal(
        data, "share_rate", errors, required=False, default=Decimal("0.25"), maximum=Decimal("1")
    )
    rate = _decimal(data, "discount_rate", errors, maximum=Decimal("1"))
    if errors:
        raise RuleBroken(errors)
    total = Decimal("0")
    terms = []
    for year, revenue in enumerate(revenues, start=1):
        present = revenue * margin * share / (1 + rate) ** year
        total += present
        terms.append(f"{amount(revenue)}×{margin}×{share}÷(1+{rate})^{year}")
    value = round_fen(total)
    low, high = _range(value)
    return Valuation(
        "income",
        value,
        low,
        high,
        _(
            "Σ revenue × profit margin × share rate ÷ (1 + discount rate)^year = %(terms)s = "
            "%(value)s; range ±15%%."
        )
        % {"terms": " + ".join(terms), "value": amount(value)},
    )


def market_method(data: dict) -> Valuation:
    """From registered contracts of the same technology field: the median
    technology transaction amount, with the interquartile range. The amounts
    come from the contracts app (registry provider "comparable_amounts")."""
    field = data.get("tech_field")
    if field not in TechField.values:
        raise RuleBroken({"tech_field": [_("Choose a technology field.")]})
    comparables = registry.provider("comparable_amounts")
    kind = data.get("contract_type")
    found = comparables(tech_field=field, contract_type=kind) if comparables else []
    amounts = sorted(found)
    if not amounts:
        raise RuleBroken(
            {
                "tech_field": [
                    _(
                        "No registered contract of this field yet: "
                        "the market method has no comparable."
                    )
                ]
            }
        )
    value = round_fen(_quantile(amounts, Decimal("0.5")))
    low = round_fen(_quantile(amounts, Decimal("0.25")))
    high = round_fen(_quantile(amounts, Decimal("0.75")))
    label = TechField(field).label
    return Valuation(
        "market",
        value,
        low,
        high,
        _(
            "Median technology transaction amount of %(n)d registered %(field)s contracts; the "
            "range is their middle half (25th–75th percentile)."
        )
        % {"n": len(amounts), "field": label},
        comparables=len(amounts),
    )


def _quantile(values: list[Decimal], q: Decimal) -> Decimal:
    """Linear interpolation between the closest ranks."""
    if len(values) == 1:
        return values[0]
    position = q * (len(values) - 1)
    below = int(position)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (position - below)


METHODS = {"cost": cost_method, "income": income_method, "market": market_method}


def valuate(data: dict) -> Valuation:
    method = METHODS.get(data.get("method") if isinstance(data, dict) else None)
    if method is None:
        raise RuleBroken({"method": [_("Choose cost, income or market.")]})
    result = method(data)
    if result.high > MONEY_MAX:
        raise RuleBroken(
            _("The value comes out above %(max)s yuan: check the inputs.")
            % {"max": amount(MONEY_MAX)}
        )
    return result
