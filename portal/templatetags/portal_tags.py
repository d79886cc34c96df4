from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """1234567.5 → "¥1,234,567.50"; empty for None."""
    if value is None or value == "":
        return ""
    return f"¥{Decimal(value):,.2f}"


@register.filter
def status_label(item, status: str) -> str:
    """The display name of one of `item`'s status codes (for audit entries)."""
    if not status:
        return ""
    try:
        return str(type(item).Status(status).label)
    except (AttributeError, ValueError):
        return status
