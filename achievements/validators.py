import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ZL + application number (12 digits since 2003, 8 before) + "." + check digit.
_ZL = re.compile(r"^ZL(\d{12}|\d{8})\.([\dX])$")
# CN + publication/grant number + kind code: CN112345678B, CN2012345678U, CN1234567A.
_CN = re.compile(r"^CN\d{7,10}[A-Z]\d?$")


def normalise_patent(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def zl_check_digit(digits: str) -> str:
    """The check digit of a Chinese patent application number (mod 11, 10 → X)."""
    weights = (2, 3, 4, 5, 6, 7, 8, 9)
    total = sum(int(d) * weights[i % 8] for i, d in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_patent_number(value: str) -> None:
    number = normalise_patent(value)
    match = _ZL.match(number)
    if match:
        digits, check = match.groups()
        if len(digits) == 12 and digits[4] not in "12389":
            raise ValidationError(
                _("%(value)s: the 5th digit (patent type) must be 1, 2, 3, 8 or 9.")
                % {"value": value}
            )
        if zl_check_digit(digits) != check:
            raise ValidationError(
                _("%(value)s: the check digit after the dot is wrong.") % {"value": value}
            )
        return
    if _CN.match(number):
        return
    raise ValidationError(
        _("%(value)s is not a Chinese patent number (e.g. ZL202110123456.7 or CN112345678B).")
        % {"value": value}
    )
