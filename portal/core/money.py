"""Money: Decimal yuan with two decimals, rounded half-up to the fen. Never float."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest amount a money column (15 digits, 2 after the point) holds:
# ten trillion yuan, beyond any technology contract.
MONEY_MAX = Decimal("9999999999999.99")


def round_fen(value: Decimal) -> Decimal:
    """12.345 → 12.35; 12.344 → 12.34 (half-up, as finance expects)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def yuan(value) -> str:
    """Decimal("1234.5") → "¥1,234.50"."""
    return f"¥{round_fen(Decimal(value)):,.2f}"
