"""The Perspective-compatible endpoint, with the request and response shapes Coral uses."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db
ENDPOINT = "/v1alpha1/comments:analyze"

# What Coral's perspective service sends (server/src/core/server/services/perspective).
CORAL_REQUEST = {
    "comment": {"text": "people like you should be shot"},
    "doNotStore": True,
    "requestedAttributes": {"TOXICITY": {}, "THREAT": {}},
    "languages": ["en"],
}


def analyze(site, body, key=None) -> tuple[int, dict]:
    response = Client().post(f"{ENDPOINT}?key={site.api_key if key is None else key}", body,
                             content_type="application/json")
    return response.status_code, response.json()


def test_coral_request_gets_perspective_scores(site):
    status, body = analyze(site, CORAL_REQUEST)
    assert status == 200
    assert set(body["attributeScores"]) == {"TOXICITY", "THREAT"}
    threat = body["attributeScores"]["THREAT"]["summaryScore"]
    assert threat["type"] == "PROBABILITY"
    assert threat["value"] > 0.5
    assert body["languages"] == ["en"]


def test_span_annotations_point_into_the_text(site):
    text = "You are a stupid idiot."
    status, body = analyze(site, {"comment": {"text": text}, "spanAnnotations": True,
                                  "requestedAttributes": {"INSULT": {}}})
    assert status == 200
    spans = body["attributeScores"]["INSULT"]["spanScores"]
    assert spans
    assert all(0 <= s["begin"] < s["end"] <= len(text) for s in spans)
    assert any("idiot" in text[s["begin"]:s["end"]] for s in spans)


def test_bad_key_and_bad_requests_get_google_style_errors(site):
    status, body = analyze(site, CORAL_REQUEST, key="wrong")
    assert status == 400 and body["error"]["status"] == "INVALID_ARGUMENT"
    assert "API key" in body["error"]["message"]

    status, body = analyze(site, {"comment": {}, "requestedAttributes": {"TOXICITY": {}}})
    assert status == 400 and body["error"]["code"] == 400

    status, body = analyze(site, {"comment": {"text": "hi"}, "requestedAttributes": {"NOPE": {}}})
    assert status == 400

    raw = Client().post(f"{ENDPOINT}?key={site.api_key}", b"{not json", content_type="application/json")
    assert raw.status_code == 400 and raw.json()["error"]["message"] == "Invalid JSON payload received."


@override_settings(PERSPECTIVE_REQUESTS_PER_MINUTE=3)
def test_requests_per_key_are_rate_limited(site):
    statuses = [analyze(site, CORAL_REQUEST)[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert analyze(site, CORAL_REQUEST)[1]["error"]["status"] == "RESOURCE_EXHAUSTED"
