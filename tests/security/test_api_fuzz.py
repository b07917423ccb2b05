"""API fuzzing: schemathesis generates requests from /api/v1/openapi.json for every operation.

No response may be a server error, and every response must match the documented status
codes, content type and schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
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
def data(client, site, article_url):
    """Some real rows, so that generated ids and slugs sometimes hit something."""
    post_comment(client, site.slug, article_url, "a comment to find")
    return Article.objects.get(), Comment.objects.get()


def test_every_operation_conforms_to_the_schema(data):
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
