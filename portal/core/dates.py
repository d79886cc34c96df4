"""Dates a user types: within plausible bounds, so that no 0001-01-01 or
9999-12-31 reaches a record, a computation or a printed certificate."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# China's technology market rules begin in 1985 (技术转让暂行规定); nothing the
# portal records happened before. No rule looks past this century.
EARLIEST = datetime.date(1985, 1, 1)
LATEST = datetime.date(2099, 12, 31)


def validate_plausible_date(value: datetime.date) -> None:
    if value is None:
        return
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )
