"""Reader flags: the API contract, the threshold that holds a comment, and the DSA explanation."""

from __future__ import annotations

import pytest

from agora.comments.models import Article, Comment
from agora.moderation.models import AuditEntry, Decision, Flag
from tests.api_client import aged_reader_token, post, reader_token

pytestmark = pytest.mark.django_db


def flag(client, comment_id, token, reason="abusive", explanation=""):
    response = client.post(f"/api/v1/comments/{comment_id}/flags",
                           {"reason": reason, "explanation": explanation},
                           content_type="application/json", HTTP_X_AGORA_READER=token)
    return response.status_code, response.json()


@pytest.fixture
def comment_id(site, client, article_url, without_model) -> int:
    return post(client, article_url, "The harbour plan is a waste of public money.",
                reader_token(client))["comment"]["id"]


def test_flag_is_created_once_per_reader(client, comment_id):
    token = reader_token(client)
    assert flag(client, comment_id, token) == (201, {"flagged": True})
    status, body = flag(client, comment_id, token, reason="spam")
    assert (status, body["code"]) == (409, "already_flagged")
    assert Flag.objects.filter(comment_id=comment_id).count() == 1


def test_illegal_content_needs_an_explanation(client, comment_id):
    token = reader_token(client)
    status, body = flag(client, comment_id, token, reason="illegal")
    assert (status, body["code"], body["field"]) == (422, "explanation_required", "explanation")
    assert not Flag.objects.exists()
    assert flag(client, comment_id, token, "illegal", "Incites violence against a named person.")[0] == 201
    assert Flag.objects.get().explanation == "Incites violence against a named person."


def test_explanation_with_nul_characters_is_stored_cleanly(client, comment_id):
    assert flag(client, comment_id, reader_token(client), "illegal", "Threat\x00 to a judge.")[0] == 201
    assert Flag.objects.get().explanation == "Threat to a judge."


def test_unknown_reason_and_missing_identity_are_refused(client, comment_id):
    assert flag(client, comment_id, reader_token(client), reason="boring")[0] == 422
    assert flag(client, comment_id, "")[1]["code"] == "no_identity"
    assert flag(client, 999999, reader_token(client))[0] == 404


def test_threshold_of_flags_holds_the_comment_and_keeps_counts_right(client, comment_id, mod_settings):
    mod_settings.flag_threshold = 2
    mod_settings.save()
    article = Article.objects.get()
    assert article.comment_count == 1
    assert flag(client, comment_id, aged_reader_token(client))[0] == 201
    assert Comment.objects.get(pk=comment_id).status == "approved"
    assert flag(client, comment_id, aged_reader_token(client), reason="spam")[0] == 201

    comment = Comment.objects.get(pk=comment_id)
    assert comment.status == "pending"
    article.refresh_from_db()
    assert article.comment_count == 0
    latest = Decision.objects.filter(comment=comment).first()
    assert (latest.source, latest.status, latest.reasons[0]["rule"]) == ("flags", "pending", "flag_threshold")
    assert AuditEntry.objects.get(action="comment.auto_hold").target_id == str(comment_id)
    # A held comment cannot be flagged further.
    assert flag(client, comment_id, reader_token(client))[0] == 404


def test_author_cannot_flag_own_comment(site, client, article_url, without_model):
    token = reader_token(client)
    own = post(client, article_url, "My own considered opinion on the matter.", token)["comment"]["id"]
    assert flag(client, own, token)[1]["code"] == "own_comment"
