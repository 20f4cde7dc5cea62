"""The API keeps the promises of its own schema under generated input (issue 10, schemathesis).

Schemathesis loads ``/api/schema/`` from the WSGI application (logged in with a DRF token
of the puskesmas administrator, whose puskesmas has a patient, a case with a visit and a
dispensed prescription, so some generated ids exist) and calls every operation with
generated requests: valid ones (positive) and ones that break the schema (negative),
a bounded, derandomised number of each, without shrinking. Every response is checked:

- ``not_a_server_error``: no 5xx, whatever the input;
- ``status_code_conformance``, ``content_type_conformance``, ``response_schema_conformance``:
  the status, media type and body are those the schema documents;
- ``negative_data_rejection``: a request that violates the schema is refused (4xx), never
  accepted with a 2xx.

Every request runs inside this test's transaction, so nothing it writes outlives the test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.referrals.factories import enrol
from tests.satusehat.factories import control_visit, dispense

pytestmark = pytest.mark.django_db

EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def wsgi_app():  # type: ignore[no-untyped-def]
    """The WSGI application, served inside the test's transaction (as Django's test client
    does: no connection closing between requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> dict[str, str]:
    """Failures of one operation in one generation mode, one per kind of failure."""
    failures: dict[str, str] = {}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(generated=operation.as_strategy(generation_mode=mode))
    def call(generated: Any) -> None:
        try:
            generated.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:
            text = str(exc).strip()
            first = text.splitlines()[0] if text else type(exc).__name__
            failures.setdefault(f"{operation.label} [{mode.value}] {first}", text[:1500])

    call()
    return failures


def test_every_api_operation_keeps_its_schema(world, frozen_today, wsgi_app) -> None:
    case = enrol(world)
    dispense(world, control_visit(world, case, on=dt.date(2026, 10, 5)))
    token = Token.objects.create(user=world.admin1)
    # The gzip middleware answers compressed bodies to clients that accept them.
    headers = {"Authorization": f"Token {token.key}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, headers=headers)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures |= _fuzz(operation, mode, headers)
    assert len(operations) >= 10, [operation.label for operation in operations]
    assert not failures, "\n\n".join(f"{key}\n{text}" for key, text in failures.items())
