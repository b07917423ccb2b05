"""API fuzzing: schemathesis generates requests from /api/v1/openapi.json for every operation.

No response may be a server error, and every response must match the documented status
codes, content type and schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from agora.comments.models import Article, Comment
from tests.accounts.helpers import post_comment

pytestmark = pytest.mark.django_db
EXAMPLES_PER_OPERATION = 70
MINIMUM_REQUESTS = 1000
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance)


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly would close the test's database connection at the end of
    each request (Django's test client avoids the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def data(client, site, article_url):
    """Some real rows, so that generated ids and slugs sometimes hit something."""
    post_comment(client, site.slug, article_url, "a comment to find")
    return Article.objects.get(), Comment.objects.get()


def test_every_operation_conforms_to_the_schema(data, keep_test_connection):
    app = get_wsgi_application()
    schemathesis.experimental.OPEN_API_3_1.enable()  # django-ninja writes OpenAPI 3.1
    schema = schemathesis.from_wsgi("/api/v1/openapi.json", app)
    sent = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def exercise(case) -> None:
            nonlocal sent
            response = case.call_wsgi(app=app)
            sent += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except AssertionError as error:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: "
                                f"{' '.join(str(error).split())[:300]}\n  {case.as_curl_command()}")

        exercise()
    print(f"schemathesis: {sent} requests over {len(list(schema.get_all_operations()))} operations")
    assert sent >= MINIMUM_REQUESTS, f"only {sent} requests were generated"
    unique = list(dict.fromkeys(failure.split("\n")[0] for failure in failures))
    assert not failures, f"{len(failures)} failures over {sent} requests:\n" + "\n".join(unique[:40])
