"""API fuzzing: schemathesis generates requests for every operation of
/api/schema/, signed in as each role and anonymous, and checks every response:
no 5xx, and the body, status and content type as the schema says.

`make test` tries 5 generated examples per operation, each sent as every role;
`make fuzz` runs the same test with FUZZ_EXAMPLES=100 and the coverage phase.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Market, Organization
from tests.factories import (
    AchievementFactory,
    BrokerFactory,
    DemandFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    api_token,
    member_of,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
# `make fuzz` adds schemathesis' coverage phase (boundary and invalid values of
# every parameter: dozens of cases per operation); `make test` only generates.
PHASES = [Phase.explicit, Phase.generate] if "FUZZ_EXAMPLES" in os.environ else [Phase.generate]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = [
    "anonymous",
    "university member",
    "enterprise member",
    "broker",
    "city staff",
    "central staff",
    "admin",
]

pytestmark = pytest.mark.django_db


def _load_schema():
    """The schema as the portal's own WSGI application serves it (no database needed)."""
    from portal.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Like Django's test client, keep the test's connection open across requests:
    the handler would close it at each request's end, transaction and all."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _user(role: str):
    if role == "anonymous":
        return None
    if role == "university member":
        return member_of(OrganizationFactory(kind=Organization.Kind.UNIVERSITY))
    if role == "enterprise member":
        return member_of(OrganizationFactory(kind=Organization.Kind.ENTERPRISE))
    if role == "broker":
        return BrokerFactory()
    if role == "city staff":
        return StaffFactory(staff_market=Market.objects.get(code="yichang"))
    if role == "central staff":
        return StaffFactory()
    return UserFactory(is_superuser=True, is_staff=True, organization=None)


@pytest.fixture
def role_headers():
    """Request headers of every role; something to read, so that detail and
    action URLs can hit real rows."""
    AchievementFactory(status="published")
    DemandFactory(status="published")
    headers = {}
    for role in ROLES:
        user = _user(role)
        headers[role] = {"Authorization": f"Token {api_token(user)}"} if user else {}
    return headers


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    phases=PHASES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_as_every_role(case, role_headers):
    for role, headers in role_headers.items():
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except AssertionError as exc:
            exc.add_note(f"as {role}")
            raise
