"""Periods and content of publicities: pure functions over the working-day calendar."""

import datetime
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

from portal.core.workdays import add_workdays
from publicity.models import Publicity


def content_hash(content: dict) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode()).hexdigest()


def period_end(
    start: datetime.date, value: int, unit: str, *, min_calendar_days: int = 0
) -> datetime.date:
    """The last day of a period published on `start`: its count starts the next
    (working) day. A working-day period lasts at least `min_calendar_days`
    calendar days too (then it ends on the first working day after them)."""
    if unit == Publicity.Unit.WORKING_DAY:
        end = add_workdays(start, value)
        if value and min_calendar_days and (end - start).days < min_calendar_days:
            floor = start + datetime.timedelta(days=min_calendar_days)
            end = add_workdays(floor - datetime.timedelta(days=1), 1)
        return end
    return start + datetime.timedelta(days=value)
