"""The API conventions of API.md, in one place.

- pagination `{"count", "next", "previous", "results"}` with `?page_size` ≤ 100
  (`count` estimated above 1,000 rows, flagged by the X-Count-Estimated header);
- one error shape: 400 `{"field": ["message"]}` or `{"detail": "..."}`, 401, 403,
  404, 409, 415, 503 `{"detail": "..."}`, documented on every operation;
- objects that an account may not see are filtered out by selectors before
  lookup, so they are 404, never 403.
"""

import re
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from portal.core.errors import ApplicationError
from portal.core.limits import NOTE_MAX
from portal.core.paginator import EstimatingPaginator

MONEY_TEXT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")


class Router(DefaultRouter):
    """Object ids in API URLs are integers: anything else does not match (a 404),
    and the schema's path parameters say so."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._default_value_pattern = "[0-9]+"  # DRF's default is "[^/.]+"


@extend_schema_field(OpenApiTypes.INT)
class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference by id to an object the requesting account may see.

    `selector(user)` is the same selector its detail page uses: an id the
    account may not see answers exactly as an id that does not exist, so a
    draft of another organisation cannot be probed through a reference.
    """

    def __init__(self, *, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.selector(getattr(request, "user", None))


@extend_schema_field({"type": "string", "pattern": r"^\d{1,13}(\.\d{1,2})?$", "example": "1000.00"})
class MoneyField(serializers.Field):
    """Yuan as a string with at most two decimals ("1000.00"), or a whole number.

    Stricter than DecimalField: "1e9", "NaN", floats, negative amounts and a
    third decimal are refused, so that what a client sends is what is stored.
    Answers are strings with two decimals.
    """

    default_error_messages = {
        "invalid": 'Send an amount in yuan as a string with at most two decimals, e.g. "1000.00".',
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("invalid")
        text = str(data).strip()
        if not MONEY_TEXT.match(text):
            self.fail("invalid")
        return Decimal(text)

    def to_representation(self, value):
        return None if value is None else f"{Decimal(value):.2f}"


class Pagination(PageNumberPagination):
    """`count` is exact up to 1,000 rows, PostgreSQL's estimate above (portal/core/paginator.py)."""

    django_paginator_class = EstimatingPaginator
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.page.paginator.estimated:
            response["X-Count-Estimated"] = "true"
        return response


def _nest(message_dict: dict[str, list[str]]) -> dict:
    """{"organization.credit_code": [...]} → {"organization": {"credit_code": [...]}}."""
    nested: dict = {}
    for key, messages in message_dict.items():
        field = "detail" if key == "__all__" else key
        parts = field.split(".")
        node = nested
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = list(messages)
    if list(nested) == ["detail"]:
        nested["detail"] = " ".join(nested["detail"])
    return nested


def validation_error_body(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return _nest(exc.message_dict)
    return {"detail": " ".join(exc.messages)}


def exception_handler(exc, context):
    """The one mapping of the portal's errors to API answers: a rule broken is a
    400 with its field messages (a model's ValidationError alike), the other
    ApplicationErrors their status with {"detail"}, 429 with Retry-After."""
    if isinstance(exc, DjangoValidationError):  # RuleBroken included
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ApplicationError):
        headers = {}
        if getattr(exc, "retry_after", None):
            headers["Retry-After"] = str(exc.retry_after)
        return Response({"detail": exc.text}, status=exc.status_code, headers=headers)
    return drf_exception_handler(exc, context)


ERROR_RESPONSES = {
    "400": ("Invalid input: field → messages, or detail.", "ValidationErrors"),
    "401": ("Not signed in, or the token is not valid.", "ErrorDetail"),
    "403": ("Signed in, but not allowed to do this.", "ErrorDetail"),
    "404": ("No such object, or not visible to this account.", "ErrorDetail"),
    "409": ("The action is not allowed in the object's current status.", "ErrorDetail"),
    "415": ("The request body's media type is not one the operation accepts.", "ErrorDetail"),
    "429": ("Too many requests: retry after the seconds in Retry-After.", "ErrorDetail"),
    "503": ("The database is briefly unavailable; nothing was saved, retry.", "ErrorDetail"),
}


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: the error shape of this module,
    documented on every operation (each may answer any of them)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    }
    schemas["ValidationErrors"] = {
        "type": "object",
        "description": "Messages by field (nested for nested objects), or `detail`.",
        "additionalProperties": True,
    }
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, (description, name) in ERROR_RESPONSES.items():
                if code == "409" and method == "get":
                    continue
                if code == "415" and "requestBody" not in operation:
                    continue
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    },
                )
    return result


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=NOTE_MAX
    )


def service_action(name: str, service: Callable, target: str, *, body=None, doc: str = ""):
    """A viewset's `POST …/{id}/<name>/`: `service(<target>=the object, by=the
    account, **the body's fields)`, answered by the viewset's `_done(result)`.

        submit = service_action("submit", services.contract_submit, "contract")
        reject = service_action(
            "reject", services.contract_reject, "contract", body=ReasonSerializer
        )
    """

    def act(self, request, pk=None):
        fields = {}
        if body is not None:
            checked = body(data=request.data)
            checked.is_valid(raise_exception=True)
            fields = checked.validated_data
        return self._done(service(**{target: self.get_object()}, by=request.user, **fields))

    act.__name__ = name
    act.__doc__ = doc or None
    return extend_schema(request=body)(action(detail=True, methods=["post"])(act))
