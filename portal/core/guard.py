"""One guard against input no text contains, before any view runs.

- Query-string parameters: NUL and other control characters, lone surrogates
  (escaped as %ED%A0%80 or any other byte sequence that is not UTF-8), and
  values longer than PARAM_MAX_CHARS are refused (400).
- Bodies: larger than REQUEST_MAX_BYTES (JSON, forms) or
  UPLOAD_REQUEST_MAX_BYTES (multipart) are refused from their Content-Length,
  unread.
- JSON (GuardedJSONParser, the API's parser): NUL bytes, lone surrogates and
  nesting deeper than JSON_MAX_DEPTH are refused, keys included.

Answers are 400 {"detail": ...} on the API and the portal's error page
elsewhere; nothing reaches a service.
"""

import re
from urllib.parse import unquote_to_bytes

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from portal.core import limits

# C0 controls (tab, newline and carriage return included: no parameter has one),
# DEL and the C1 controls, and UTF-16 surrogates that no UTF-8 text can hold.
BAD_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# In JSON strings, newlines and tabs are text (a description has paragraphs).
BAD_IN_TEXT = re.compile("[\x00\ud800-\udfff]")


class BadInput(ValueError):
    pass


def check_encoding(query_string: str) -> None:
    """The raw query string decodes as UTF-8: Django would otherwise replace a
    lone surrogate or a stray byte with U+FFFD, silently."""
    try:
        unquote_to_bytes(query_string.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(_("The address holds a character that no text contains.")) from None


def check_parameters(params) -> None:
    for name, values in params.lists():
        for value in [name, *values]:
            if len(value) > limits.PARAM_MAX_CHARS:
                raise BadInput(
                    _("The parameter %(name)s is longer than %(n)d characters.")
                    % {"name": name[:40], "n": limits.PARAM_MAX_CHARS}
                )
            if BAD_CHARACTERS.search(value):
                raise BadInput(
                    _("The parameter %(name)s holds a character that no text contains.")
                    % {"name": BAD_CHARACTERS.sub("?", name[:40])}
                )


def check_json(value, *, depth: int = 0) -> None:
    """NUL, lone surrogates and excessive nesting anywhere in parsed JSON."""
    stack = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if level > limits.JSON_MAX_DEPTH:
            raise BadInput(
                _("JSON nested deeper than %(n)d levels is refused.") % {"n": limits.JSON_MAX_DEPTH}
            )
        if isinstance(node, str):
            if BAD_IN_TEXT.search(node):
                raise BadInput(_("The request holds a character that no text contains."))
        elif isinstance(node, dict):
            for key, item in node.items():
                stack.append((key, level + 1))
                stack.append((item, level + 1))
        elif isinstance(node, list):
            stack.extend((item, level + 1) for item in node)


class GuardedJSONParser(JSONParser):
    """DRF's JSON parser, refusing what check_json refuses (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                _("JSON nested deeper than %(n)d levels is refused.") % {"n": limits.JSON_MAX_DEPTH}
            ) from None
        try:
            check_json(data)
        except BadInput as exc:
            raise ParseError(str(exc)) from None
        return data


def _refuse(request, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        ceiling = limits.UPLOAD_REQUEST_MAX_BYTES if multipart else limits.REQUEST_MAX_BYTES
        if length > ceiling:
            return _refuse(
                request,
                _("The request is larger than %(mb)d MB.") % {"mb": ceiling // (1024 * 1024)},
            )
        try:
            check_encoding(request.META.get("QUERY_STRING", ""))
            check_parameters(request.GET)
        except BadInput as exc:
            return _refuse(request, str(exc))
        return self.get_response(request)
