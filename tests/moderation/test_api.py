"""Every decision path through the public API: approved, pending, rejected, nudge and posting
anyway; what readers and authors then see."""

from __future__ import annotations

import pytest

from agora.comments.models import Comment
from agora.moderation.models import Decision
from tests.api_client import post, reader_token

pytestmark = pytest.mark.django_db


def thread(client, url, token=""):
    return client.get("/api/v1/threads", {"site": "chronicle", "url": url, "own": "true"},
                      HTTP_X_AGORA_READER=token).json()


def test_ordinary_comment_is_approved_with_a_pipeline_decision(site, client, article_url, without_model):
    created = post(client, article_url, "The council should publish the full costings before the vote.")
    assert (created["status"], created["result"], created["reasons"]) == (201, "approved", [])
    decision = Decision.objects.get(comment_id=created["comment"]["id"])
    assert (decision.status, decision.source, decision.reasons) == ("approved", "pipeline", [])


def test_banned_word_is_rejected_with_its_span_and_never_shown(site, client, article_url, without_model):
    token = reader_token(client)
    body = "Only a f.a.g.g.o.t would vote for this."
    created = post(client, article_url, body, token)
    assert (created["status"], created["result"]) == (201, "rejected")
    [reason] = created["reasons"]
    assert (reason["phase"], reason["rule"]) == ("wordlist", "banned_word")
    [span] = reason["spans"]
    assert body[span["start"]:span["end"]] == span["text"] == "f.a.g.g.o.t"
    assert thread(client, article_url, token)["comments"] == []
    assert thread(client, article_url, token).get("own_pending", []) == []
    response = client.get(f"/api/v1/comments/{created['comment']['id']}")
    assert response.status_code == 404


def test_suspect_word_nudges_first_then_posting_anyway_holds_and_marks(site, client, article_url,
                                                                       without_model):
    token = reader_token(client)
    body = "The minister is a prick and everyone knows it."
    nudged = post(client, article_url, body, token)
    assert (nudged["status"], nudged["result"], nudged["comment"]) == (200, "nudge", None)
    assert nudged["reasons"][0]["spans"][0]["text"] == "prick"
    assert Comment.objects.count() == 0

    anyway = post(client, article_url, body, token, post_anyway=True)
    assert (anyway["status"], anyway["result"]) == (201, "pending")
    decision = Decision.objects.get(comment_id=anyway["comment"]["id"])
    assert [r["rule"] for r in decision.reasons] == ["suspect_word", "posted_after_nudge"]
    # The author sees it awaiting review; other readers do not see it at all.
    assert [c["id"] for c in thread(client, article_url, token)["own_pending"]] == [anyway["comment"]["id"]]
    assert thread(client, article_url, reader_token(client)).get("own_pending", []) == []


def test_rephrasing_after_a_nudge_is_approved(site, client, article_url, without_model):
    token = reader_token(client)
    assert post(client, article_url, "The minister is a prick.", token)["result"] == "nudge"
    assert post(client, article_url, "The minister is wrong.", token)["result"] == "approved"


def test_without_nudges_a_suspect_word_is_held_directly(site, client, article_url, without_model):
    without_model.nudge_enabled = False
    without_model.save()
    created = post(client, article_url, "The minister is a prick.", reader_token(client))
    assert (created["status"], created["result"]) == (201, "pending")


def test_premoderated_article_holds_everything(site, client, article_url, without_model):
    first = post(client, article_url, "First.")
    Comment.objects.get(pk=first["comment"]["id"]).article.__class__.objects.update(premoderate=True)
    created = post(client, article_url, "A perfectly polite remark.")
    assert created["result"] == "pending"
    assert created["reasons"][0]["rule"] == "article_premoderated"


def test_editing_into_a_banned_word_rejects_the_comment(site, client, article_url, without_model):
    token = reader_token(client)
    created = post(client, article_url, "A fair point about the budget.", token)
    response = client.patch(f"/api/v1/comments/{created['comment']['id']}",
                            {"body": "A fair point, you c*nt."}, content_type="application/json",
                            HTTP_X_AGORA_READER=token)
    assert response.status_code == 201
    assert response.json()["result"] == "rejected"
    comment = Comment.objects.get(pk=created["comment"]["id"])
    assert comment.status == "rejected" and comment.article.comment_count == 0
    assert list(comment.decisions.values_list("status", flat=True)) == ["rejected", "approved"]


def test_user_name_with_a_slur_is_rejected(site, client, article_url, without_model):
    created = post(client, article_url, "Nothing wrong with this text.", author_name="K1ke Hunter")
    assert created["result"] == "rejected"
    assert created["reasons"][0]["rule"] == "banned_name"
    assert "K1ke Hunter" in created["reasons"][0]["message"]
