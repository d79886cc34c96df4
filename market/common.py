"""What the market's services share: numbers, money checks, deposits' amounts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from market.models import DepositMode, Sequence
from portal.core.errors import NotPermitted
from portal.core.locks import for_update
from portal.core.money import FEN, MONEY_MAX, round_fen


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermitted(message)


def next_number(name: str, prefix: str, width: int) -> str:
    """`GP-2026-000001`: this year's next number, gapless (a row lock until commit)."""
    year = timezone.localdate().year
    try:
        with transaction.atomic():
            Sequence.objects.get_or_create(name=name, year=year)
    except IntegrityError:
        pass
    rows = Sequence.objects.filter(name=name, year=year)
    last = for_update(rows).get().last + 1
    rows.update(last=last)
    return f"{prefix}-{year}-{last:0{width}d}"


def money(value, field: str, errors: dict, *, required: bool = True) -> Decimal | None:
    """A positive amount with at most two decimals, within the columns' range."""
    if value in (None, ""):
        if required:
            errors[field] = [_("This field is required.")]
        return None
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter an amount in yuan, e.g. 1000.00.")]
        return None
    if not amount.is_finite() or amount <= 0:
        errors[field] = [_("The amount must be positive.")]
    elif amount != amount.quantize(FEN):
        errors[field] = [_("Amounts have at most two decimals (fen).")]
    elif amount > MONEY_MAX:
        errors[field] = [_("The amount is too large.")]
    else:
        return amount
    return None


def deposit_amount(
    *, price: Decimal | None, mode: str, rate, fixed, rules, errors: dict
) -> tuple[Decimal | None, Decimal | None]:
    """(rate, amount): a rate within the rules' range times the price, rounded
    half-up to the fen; or a fixed amount, positive and not above the price."""
    if mode == DepositMode.FIXED:
        amount = money(fixed, "fixed_deposit", errors)
        if amount is not None and price is not None and amount > price:
            errors["fixed_deposit"] = [_("The deposit cannot exceed the price.")]
            return None, None
        return None, amount
    if mode != DepositMode.PERCENT:
        errors["deposit_mode"] = [_("Choose a rate of the price or a fixed amount.")]
        return None, None
    try:
        rate = rules.deposit_rate if rate in (None, "") else Decimal(str(rate))
    except (InvalidOperation, ValueError):
        errors["deposit_rate"] = [_("Enter a rate such as 0.10.")]
        return None, None
    if not rate.is_finite() or not rules.deposit_rate_min <= rate <= rules.deposit_rate_max:
        errors["deposit_rate"] = [
            _("The deposit rate is between %(min)s and %(max)s.")
            % {"min": rules.deposit_rate_min, "max": rules.deposit_rate_max}
        ]
        return None, None
    if price is None:
        return rate, None
    amount = round_fen(price * rate)
    if amount <= 0:
        errors["deposit_rate"] = [_("The deposit comes out at zero; raise the rate or the price.")]
        return None, None
    return rate, amount


def default_increment(price: Decimal) -> Decimal:
    """1% of the price, in whole yuan (at least one yuan)."""
    return max(round_fen(price / 100).quantize(Decimal("1")), Decimal("1"))
