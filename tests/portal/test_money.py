"""The one money module: the fen, half-up rounding, and the units people read."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from portal.core import money


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [("12.345", "12.35"), ("12.344", "12.34"), ("0.005", "0.01"), ("-0.005", "-0.01")],
)
def test_rounding_is_half_up_to_the_fen(raw, rounded):
    assert money.round_fen(Decimal(raw)) == Decimal(rounded)


def test_the_units_people_read():
    assert money.yuan(Decimal("1234567.5")) == "¥1,234,567.50"
    assert money.amount(Decimal("1000")) == "1,000.00"
    assert money.in_wan(Decimal("1234567")) == Decimal("123.4567")  # exact
    assert money.wan(Decimal("1234567")) == "123.46 万元"
    assert money.wan(Decimal("100000000000")) == "10,000,000.00 万元"
    assert money.in_yi(Decimal("6500000")) == Decimal("0.065")
    assert money.yi(Decimal("300000000000")) == "3,000.00 亿元"


def test_the_template_filters_use_it():
    out = Template("{% load portal_tags %}{{ a|yuan }} {{ a|wan }} [{{ n|wan }}]").render(
        Context({"a": Decimal("15000"), "n": None})
    )
    assert out == "¥15,000.00 1.50 万元 []"


ROOTS = ["accounts", "achievements", "contracts", "evaluation", "portal", "matching", "demands"]
# Money is never formatted by hand: no ",.2f" and no "¥{...}" f-string outside the money module.
ALLOWED = {"portal/core/money.py"}


def test_no_amount_is_formatted_by_hand():
    base = Path(settings.BASE_DIR)
    found = []
    for root in ROOTS:
        for path in (base / root).rglob("*.py"):
            rel = str(path.relative_to(base))
            if "migrations" in path.parts or rel in ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FormattedValue) and isinstance(
                    node.format_spec, ast.JoinedStr
                ):
                    spec = "".join(
                        v.value for v in node.format_spec.values if isinstance(v, ast.Constant)
                    )
                    if "," in spec and "f" in spec:
                        found.append(f"{rel}:{node.lineno}")
                if isinstance(node, ast.JoinedStr) and any(
                    isinstance(v, ast.Constant) and "¥" in v.value for v in node.values
                ):
                    found.append(f"{rel}:{node.lineno}")
    assert found == []
