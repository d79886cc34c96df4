"""Validators for identifiers and names of organisations."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.regions import is_known_region

# GB 32100-2015: the unified social credit code uses 31 characters
# (digits and capitals without I, O, Z, S, V); the 18th is a check character.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_CODE_CHARSET.index(ch) * w
        for ch, w in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters."), code="credit_code_length"
        )
    bad = sorted({ch for ch in value if ch not in CREDIT_CODE_CHARSET})
    if bad:
        raise ValidationError(
            _("The credit code contains characters that are not allowed: %(chars)s."),
            code="credit_code_charset",
            params={"chars": "".join(bad)},
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The check character of the credit code is wrong; please check the code."),
            code="credit_code_check",
        )


def validate_region_code(value: str) -> None:
    if not is_known_region(value):
        raise ValidationError(
            _("%(code)s is not a known administrative division code (GB/T 2260)."),
            code="region_code",
            params={"code": value},
        )


# Characters that change how a name looks, or whether it looks like anything:
# zero-width spaces and joiners, word joiners, byte-order marks, soft hyphens,
# and the bidirectional controls (an embedded right-to-left override turns
# "公司ABC" into something else on screen).
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Letters of other scripts that look like Latin ones (Unicode's confusables,
# the ones a name would use): "Ηubei" with a Greek eta is "Hubei" to a reader.
_CONFUSABLE = str.maketrans(
    {
        **dict(zip("аеорсухіјѕԁԛԝ", "aeopcyxijsdqw", strict=True)),
        **dict(zip("АВЕКМНОРСТХУІЈЅ", "ABEKMHOPCTXYIJS", strict=True)),
        **dict(zip("αβεικνορτυχ", "abeiknoptux", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
    }
)


def normalise_name(name: str) -> str:
    """An organisation's name as stored: NFKC (full-width forms become plain),
    invisible and direction characters removed, spaces collapsed."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _INVISIBLE.sub("", text)
    return " ".join(text.split())


def name_skeleton(name: str) -> str:
    """What a name looks like: normalised, look-alike letters folded to Latin,
    case and spaces ignored. Two names with one skeleton read the same."""
    return normalise_name(name).translate(_CONFUSABLE).casefold().replace(" ", "")
