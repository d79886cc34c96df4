from decimal import Decimal

from django import template

from portal.core import money

register = template.Library()


@register.filter
def yuan(value) -> str:
    """1234567.5 → "¥1,234,567.50"; empty for None."""
    if value is None or value == "":
        return ""
    return money.yuan(Decimal(value))


@register.filter
def wan(value) -> str:
    """1234567 → "123.46 万元"; empty for None."""
    if value is None or value == "":
        return ""
    return money.wan(Decimal(value))


@register.filter
def action_label(entry) -> str:
    """What an audit entry without a status change did, in words."""
    from django.utils.translation import gettext as _

    if entry.action.endswith(".attachments_added"):
        names = "、".join((entry.data or {}).get("files", []))
        return _("files added: %(names)s") % {"names": names}
    return entry.action


@register.filter
def status_label(item, status: str) -> str:
    """The display name of one of `item`'s status codes (for audit entries)."""
    if not status:
        return ""
    try:
        return str(type(item).Status(status).label)
    except (AttributeError, ValueError):
        return status


@register.filter
def percent(value) -> str:
    """Decimal("0.10") → "10%"; Decimal("0.125") → "12.5%"."""
    if value is None or value == "":
        return ""
    number = (Decimal(value) * 100).normalize()
    return f"{number:f}%"


@register.simple_tag(takes_context=True)
def render_panel(context, panel: dict) -> str:
    """A detail page's panel (portal.library.views.panels_for): its template with
    the page's context and the panel's own."""
    with context.push(**panel["context"]):
        return template.loader.get_template(panel["template"]).render(context.flatten())
