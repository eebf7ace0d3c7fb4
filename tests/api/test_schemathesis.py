"""Schemathesis against /api/v1/openapi.json, in the suite: generated requests, anonymous and
as a coordinator with the second factor verified, must never get a 5xx, and every answer must
be one the document declares (status code, content type, body schema).

The examples are few per operation (`MAX_EXAMPLES`) so that the run stays within a minute or
two per engine; each run explores different values (Hypothesis' database is off, derandomised
runs would always try the same ones).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

# Anonymous requests mostly meet the 401 of protected operations: fewer examples suffice.
MAX_EXAMPLES = 6
MAX_EXAMPLES_ANONYMOUS = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CSRF_TOKEN = "t" * 32


# Loaded when the module is collected, from the document as it is served (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def bounded(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI application, whose request signals would close the
    test's database connection (inside its rolled-back transaction, on PostgreSQL); Django's
    test client disconnects them the same way."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def coordinator_cookies(login, coordinator):
    client = login(coordinator)
    return {
        "sessionid": client.cookies["sessionid"].value,
        "csrftoken": CSRF_TOKEN,
    }


@schema.parametrize()
@bounded(MAX_EXAMPLES_ANONYMOUS)
def test_anonymous_requests_get_documented_answers(case, base_data):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@bounded(MAX_EXAMPLES)
def test_a_coordinators_requests_get_documented_answers(case, coordinator_cookies):
    case.call_and_validate(
        checks=CHECKS, cookies=coordinator_cookies, headers={"X-CSRFToken": CSRF_TOKEN}
    )
