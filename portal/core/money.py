"""Money: Decimal yuan with two decimals, rounded half-up to the fen. Never float.

Every amount the portal shows or writes goes through here: `round_fen` for
what the rules compute, `yuan`/`wan`/`yi` for what people read (pages, PDFs,
spreadsheets, messages), `in_wan`/`in_yi` for figures kept in those units.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
WAN = Decimal("10000")  # 万
YI = Decimal("100000000")  # 亿
# The largest amount a money column (15 digits, 2 after the point) holds:
# ten trillion yuan, beyond any technology contract.
MONEY_MAX = Decimal("9999999999999.99")


def round_fen(value) -> Decimal:
    """12.345 → 12.35; 12.344 → 12.34 (half-up, as finance expects)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def amount(value) -> str:
    """Decimal("1234.5") → "1,234.50": grouped, two decimals, half-up."""
    return f"{round_fen(value):,.2f}"


def yuan(value) -> str:
    """Decimal("1234.5") → "¥1,234.50"."""
    return f"¥{amount(value)}"


def in_wan(value) -> Decimal:
    """Yuan in 万元, exactly: Decimal("1234567") → Decimal("123.4567")."""
    return Decimal(value) / WAN


def in_yi(value) -> Decimal:
    """Yuan in 亿元, exactly: Decimal("6500000") → Decimal("0.065")."""
    return Decimal(value) / YI


def wan(value) -> str:
    """Decimal("1234567") → "123.46 万元" (shown to two decimals, half-up)."""
    return _("%(amount)s × 10,000 yuan") % {"amount": amount(in_wan(value))}


def yi(value) -> str:
    """Decimal("123456789") → "1.23 亿元"."""
    return _("%(amount)s × 100 million yuan") % {"amount": amount(in_yi(value))}
