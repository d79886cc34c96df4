"""The market's rules and the working-day calendar, as central staff set them."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from market.common import require
from market.models import MarketRules
from market.permissions import may_edit_calendar, may_edit_rules
from portal.core.audit import audit_log
from portal.core.dates import validate_plausible_date
from portal.core.errors import RuleBroken
from portal.core.locks import for_update
from portal.core.models import CalendarDay


@transaction.atomic
def rules_update(*, by, data: dict) -> MarketRules:
    """Change the numbers; each change is audited, and applies to listings and
    lots approved after it (they copy the rules then)."""
    require(may_edit_rules(by), _("Central staff set the market's rules."))
    MarketRules.current()
    rules = for_update(MarketRules.objects).get(pk=1)
    before = rules.snapshot()
    for name, value in data.items():
        if name in MarketRules.FIELDS:
            setattr(rules, name, value)
    errors = {}
    if not rules.deposit_rate_min <= rules.deposit_rate <= rules.deposit_rate_max:
        errors["deposit_rate"] = [
            _("The default rate lies between the lowest and the highest rate.")
        ]
    if errors:
        raise RuleBroken(errors)
    rules.full_clean()
    after = rules.snapshot()
    changed = {k: [before[k], after[k]] for k in MarketRules.FIELDS if before[k] != after[k]}
    if not changed:
        return rules
    rules.updated_by = by
    rules.save()
    audit_log(action="market.rules.updated", actor=by, target=rules, data={"changed": changed})
    return rules


@transaction.atomic
def calendar_set(*, by, date: datetime.date, is_workday: bool, note: str = "") -> CalendarDay:
    """Enter a holiday on a weekday or a make-up working day on a weekend; an
    entry that says what the week says anyway is removed."""
    require(may_edit_calendar(by), _("Central staff keep the working-day calendar."))
    try:
        validate_plausible_date(date)
    except Exception as exc:
        raise RuleBroken({"date": list(getattr(exc, "messages", [str(exc)]))}) from exc
    note = " ".join((note or "").split())[:100]
    before = CalendarDay.objects.filter(date=date).first()
    day, _created = CalendarDay.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "note": note}
    )
    audit_log(
        action="portal.calendar.set",
        actor=by,
        target=day,
        data={
            "date": str(date),
            "is_workday": is_workday,
            "note": note,
            "before": None if before is None else before.is_workday,
        },
    )
    return day
