"""`comments:suggestscore`: a Coral moderator's approve/reject becomes the key's site's decision."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.comments.models import Site
from agora.modelops.services import labelled_decisions
from agora.perspective.models import SuggestedScore

pytestmark = pytest.mark.django_db
ENDPOINT = "/v1alpha1/comments:suggestscore"


def coral_request(text: str, value: int, comment_id: str) -> dict:
    # What Coral sends when a moderator rejects (1) or approves (0) a comment.
    return {
        "comment": {"text": text},
        "context": {"entries": [{"text": '{"url": "https://news.example/story"}'}]},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": value}}},
        "languages": ["en"],
        "communityId": "Coral:https://news.example",
        "clientToken": f"comment:{comment_id}",
    }


def suggest(site: Site, body: object, key: str | None = None) -> tuple[int, dict]:
    response = Client().post(f"{ENDPOINT}?key={site.api_key if key is None else key}", body,
                             content_type="application/json")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_a_rejection_is_answered_in_perspectives_format_and_stored(site: Site) -> None:
    status, body = suggest(site, coral_request("You absolute clown of a councillor", 1, "c1"))
    assert status == 200
    assert body == {"clientToken": "comment:c1", "detectedLanguages": ["en"], "requestedLanguages": ["en"]}
    [stored] = SuggestedScore.objects.all()
    assert (stored.site, stored.label, stored.toxic) == (site, "toxicity", True)
    assert stored.client_token == "comment:c1"
    assert stored.community_id == "Coral:https://news.example"
    [decision] = labelled_decisions(site)
    assert decision["text"] == "You absolute clown of a councillor" and decision["toxic"] == 1


def test_the_same_client_token_replaces_the_earlier_judgement(site: Site) -> None:
    suggest(site, coral_request("borderline remark", 1, "c7"))
    suggest(site, coral_request("borderline remark", 1, "c7"))  # a retried request
    suggest(site, coral_request("borderline remark", 0, "c7"))  # the moderator changed their mind
    suggest(site, coral_request("another comment", 0, "c8"))
    assert SuggestedScore.objects.count() == 2
    assert SuggestedScore.objects.get(client_token="comment:c7").toxic is False


def test_judgements_belong_to_the_keys_site(site: Site) -> None:
    other = Site.objects.create(slug="courier", name="The Courier")
    suggest(other, coral_request("rude", 1, "c1"))
    suggest(site, coral_request("rude", 1, "c1"))
    assert SuggestedScore.objects.filter(site=site).count() == 1
    assert len(labelled_decisions(other)) == 1


def test_bad_requests_get_google_style_errors_and_store_nothing(site: Site) -> None:
    status, body = suggest(site, coral_request("rude", 1, "c1"), key="wrong")
    assert status == 400 and "API key" in body["error"]["message"]
    status, body = suggest(site, {"comment": {"text": "x"}, "attributeScores": {"TOXICITY": {}}})
    assert status == 400 and body["error"]["status"] == "INVALID_ARGUMENT"
    status, body = suggest(site, {"comment": {"text": ""}, "attributeScores": {}})
    assert status == 400
    status, body = suggest(site, [1, 2])
    assert status == 400 and body["error"]["message"] == "Invalid JSON payload received."
    assert not SuggestedScore.objects.exists()
