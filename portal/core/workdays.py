"""Working days (工作日): Monday to Friday, unless the calendar says otherwise.

Staff enter the State Council's holidays and make-up working weekends
(CalendarDay). A period counted in working days starts on the first working
day after its start date and ends on its last working day; a period that
reaches into a year nobody entered is refused (MissingCalendar), since
counting that year's weekdays alone would run through its holidays.
"""

import datetime

from django.utils.translation import gettext as _

from portal.core.errors import RuleBroken


class MissingCalendar(RuleBroken):
    """The period runs into a year whose holidays are not entered yet."""


def _exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    from portal.core.models import CalendarDay

    return dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday")
    )


def _known_years(years: set[int]) -> set[int]:
    from portal.core.models import CalendarDay

    return {year for year in years if CalendarDay.objects.filter(date__year=year).exists()}


def _require_years(first: datetime.date, last: datetime.date) -> None:
    wanted = set(range(first.year, last.year + 1))
    missing = sorted(wanted - _known_years(wanted))
    if missing:
        raise MissingCalendar(
            _("The working-day calendar of %(years)s is not entered yet; staff enter it first.")
            % {"years": "、".join(str(y) for y in missing)}
        )


def is_workday(day: datetime.date, exceptions: dict | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_workdays(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `start` (`start` itself for 0)."""
    if count <= 0:
        return start
    # Generous bounds: no run of holidays is longer than two weeks.
    exceptions = _exceptions(start, start + datetime.timedelta(days=count * 2 + 30))
    day, left = start, count
    while left:
        day += datetime.timedelta(days=1)
        if is_workday(day, exceptions):
            left -= 1
    _require_years(start + datetime.timedelta(days=1), day)
    return day


def next_workday(day: datetime.date) -> datetime.date:
    """The first working day on or after `day`."""
    horizon = day + datetime.timedelta(days=30)
    exceptions = _exceptions(day, horizon)
    while not is_workday(day, exceptions):
        day += datetime.timedelta(days=1)
    return day


def workdays_between(first: datetime.date, last: datetime.date) -> int:
    """How many working days from `first` to `last`, both included."""
    if last < first:
        return 0
    exceptions = _exceptions(first, last)
    days = (last - first).days + 1
    return sum(is_workday(first + datetime.timedelta(days=n), exceptions) for n in range(days))


def subtract_workdays(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day before `day` (`day` itself for 0). For
    reminders and flags only: it does not refuse a year nobody entered."""
    exceptions = _exceptions(day - datetime.timedelta(days=count * 2 + 30), day)
    left = count
    while left > 0:
        day -= datetime.timedelta(days=1)
        if is_workday(day, exceptions):
            left -= 1
    return day


def years_later(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (28 February for a 29th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from `start` to `end`."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has fewer)."""
    from calendar import monthrange

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))
