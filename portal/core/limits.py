"""The sizes the portal accepts, in one place (README, "Limits").

Every request is held to them before any heavy work (segmentation,
indexing, matching): a body above its limit, a parameter too long or with a
character no text contains, JSON nested too deep — each is a 400 with a
message, and nothing is saved.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# Request bodies: JSON and form posts; multipart uploads (10 files of 20 MB
# per item, plus the form's fields).
REQUEST_MAX_BYTES = 2 * 1024 * 1024
UPLOAD_REQUEST_MAX_BYTES = 10 * 20 * 1024 * 1024 + REQUEST_MAX_BYTES
# JSON: objects and arrays inside one another, at most this deep.
JSON_MAX_DEPTH = 20
# A query-string parameter (a filter, a page number, a search) at most this long.
PARAM_MAX_CHARS = 2000
# A search is cut to this many characters (the rest is ignored, not refused).
SEARCH_MAX_CHARS = 100

# Text fields (characters).
DESCRIPTION_MAX = 20_000  # an achievement's, a demand's, a scenario's description
STORY_MAX = 50_000  # a case's story
NOTE_MAX = 2_000  # a proposal's note, a reason
COMMENTS_MAX = 5_000  # an expert's comments on a review
BIO_MAX = 5_000  # an expert's biography
# An evaluation's inputs, as JSON (bytes).
EVALUATION_INPUTS_MAX = 20_000


def max_length(n: int) -> dict:
    """The keyword arguments that hold a TextField to n characters everywhere:
    forms and serializers (max_length) and full_clean (the validator)."""
    return {"max_length": n, "validators": [MaxLengthValidator(n)]}


_LINE_BREAKS = re.compile("[\x00-\x1f\x7f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """A title or a name is one line: it heads pages, lists and e-mail subjects."""
    if value and _LINE_BREAKS.search(value):
        raise ValidationError(
            _("Write it on one line, without line breaks or control characters."),
            code="single_line",
        )
