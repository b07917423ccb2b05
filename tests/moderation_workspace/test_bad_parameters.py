"""A query or form value that cannot be what it names answers 400 with a message, never 500."""

from __future__ import annotations

import pytest

from tests.moderation_workspace import factories

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
BEYOND_BIGINT = str(2**63)


@pytest.mark.parametrize(("query", "field"), [
    ("article=²", "article"),
    (f"article={BEYOND_BIGINT}", "article"),
    ("article=١٢", "article"),  # Arabic-Indic digits are digits to Python, not to a database
])
def test_queue_filters(mod_client, query, field):
    response = mod_client.get(f"/moderate/queue/pending?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert f"{field} must be an id" in response.content.decode()


def test_queue_author_filter_with_odd_digits_is_a_name(mod_client, site):
    factories.comment(factories.article(site), "Held for review.")
    assert mod_client.get("/moderate/queue/pending?author=²").status_code == 200
    assert mod_client.get(f"/moderate/queue/pending?author={BEYOND_BIGINT}").status_code == 200


FULLWIDTH_YEAR = "\uff12\uff10\uff12\uff14"


@pytest.mark.parametrize("query", ["since=2024-13-45", "until=2024-02-30", "since=yesterday",
                                   f"since={FULLWIDTH_YEAR}-01-01"])
def test_audit_dates(mod_client, query):
    for path in ("/moderate/audit", "/moderate/audit.csv"):
        response = mod_client.get(f"{path}?{query}")
        assert response.status_code == 400, path
        assert "must be a date such as 2024-03-15" in response.content.decode()


def test_audit_good_date_still_filters(mod_client):
    assert mod_client.get("/moderate/audit?since=2024-01-31&until=2024-02-29").status_code == 200


@pytest.mark.parametrize("bad", ["²", BEYOND_BIGINT, "-1", "0", "1e3"])
def test_bulk_ids(mod_client, site, bad):
    held = factories.comment(factories.article(site), "Held for review.")
    response = mod_client.post("/moderate/bulk", {"action": "approve", "ids": [str(held.pk), bad]}, **JSON)
    assert response.status_code == 400
    assert response.json()["field"] == "ids" and "ids must be an id" in response.json()["message"]
    held.refresh_from_db()
    assert held.status == "pending"

