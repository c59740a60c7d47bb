"""Schemathesis against the live schema (issue 8, "Done when"): every operation of
``/api/v1/schema/``, about 20 generated examples each with a fixed seed (``derandomize``), sent to
the portal in process (WSGI) with a bank officer's key over applications in several states. No
response may be a server error, and every response must conform to the schema: its status, its
content type and its body. The rate limit is raised in the test settings."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from financing.models import ApplicationState
from tests.world import advance

from .conftest import issue_key

S = ApplicationState
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def key_header(world):
    """A bank officer's key, over a world with applications at each bank step."""
    for state in (S.REFERRED_TO_BANK, S.BANK_REVIEW, S.BANK_APPROVED, S.CONTRACTED, S.OPERATION_DECLARED,
                  S.SUBSIDY_IN_PAYMENT):
        advance(world, state)
    # A WSGI request ends by closing "old" connections, which would close the test's own (inside
    # its transaction); Django's test client disconnects this handler the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Api-Key {issue_key(world.bank_officer_1)[1]}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded when the tests are collected: the schema view reads no table.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@schema.parametrize()
@hypothesis_settings(max_examples=20, derandomize=True, deadline=None, database=None,
                     phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case, key_header):
    response = case.call(headers=key_header)
    case.validate_response(response, checks=CHECKS)
