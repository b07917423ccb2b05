"""An author's edit never undoes moderation: held and rejected comments stay out of view, a
moderator's decision stands, and the moderator sees the edit word by word."""

from __future__ import annotations

import pytest
from django.test import Client

from agora.accounts.models import SiteRole, User
from agora.comments import services
from agora.comments.models import Comment
from agora.moderation import actions, flags
from agora.moderation.models import Decision, WordListEntry
from tests.api_client import post, reader_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(site) -> User:
    user = User.objects.create_user(username="mona", password="x" * 16, email="mona@example.org")
    SiteRole.objects.create(user=user, site=site, role=SiteRole.Role.MODERATOR)
    return user


@pytest.fixture
def token(client) -> str:
    return reader_token(client)


def edit(client: Client, comment_id: int, body: str, token: str) -> dict:
    response = client.patch(f"/api/v1/comments/{comment_id}", {"body": body}, content_type="application/json",
                            HTTP_X_AGORA_READER=token)
    return {"status": response.status_code, **response.json()}


def latest_pipeline_rules(comment_id: int) -> list[str]:
    decision = Decision.objects.filter(comment_id=comment_id, source=Decision.Source.PIPELINE).first()
    return decision.rules


def test_an_edit_of_a_rejected_comment_stays_rejected(site, client, article_url, without_model, token,
                                                      moderator):
    comment_id = post(client, article_url, "Something the moderator will not like.", token)["comment"]["id"]
    actions.reject(Comment.objects.get(pk=comment_id), moderator, "off topic")
    edited = edit(client, comment_id, "Something perfectly harmless now.", token)
    assert (edited["status"], edited["result"]) == (201, "rejected")
    assert Comment.objects.get(pk=comment_id).status == "rejected"
    assert "edited_after_decision" in latest_pipeline_rules(comment_id)


def test_an_edit_of_a_flag_held_comment_stays_held(site, client, article_url, without_model, token,
                                                   moderator):
    without_model.flag_threshold = 1
    without_model.save()
    comment_id = post(client, article_url, "A comment readers reported.", token)["comment"]["id"]
    comment = Comment.objects.get(pk=comment_id)
    actions.approve(comment, moderator)  # a moderator's approval, then reader flags hold it
    reporter = User.objects.create_user(username="rita", password="x" * 16, email="rita@example.org")
    flags.flag(comment, services.Actor(user=reporter, ip="198.51.100.4"), "abusive")
    assert Comment.objects.get(pk=comment_id).status == "pending"
    edited = edit(client, comment_id, "A comment readers reported, reworded.", token)
    assert edited["result"] == "pending"
    assert Comment.objects.get(pk=comment_id).status == "pending"


def test_an_edit_of_a_held_comment_is_reviewed_with_its_diff(site, client, article_url, without_model, token,
                                                             moderator):
    WordListEntry.objects.create(site=site, phrase="scoundrel", kind="suspect")
    comment_id = post(client, article_url, "The mayor is a scoundrel and a liar.", token,
                      post_anyway=True)["comment"]["id"]
    assert Comment.objects.get(pk=comment_id).status == "pending"
    edited = edit(client, comment_id, "The mayor is a gentleman and a liar.", token)
    assert edited["result"] == "pending"
    reason = next(r for r in Decision.objects.filter(comment_id=comment_id).first().reasons
                  if r["rule"] == "edited_after_decision")
    changed = [(part["op"], part["text"]) for part in reason["diff"] if part["op"] != "equal"]
    assert changed == [("delete", "scoundrel"), ("insert", "gentleman")]
    client.force_login(moderator)
    page = client.get("/moderate/queue/pending").content.decode()
    assert "<del>scoundrel</del><ins>gentleman</ins>" in page


def test_a_moderator_approval_lets_clean_edits_stay_public(site, client, article_url, without_model, token,
                                                           moderator):
    WordListEntry.objects.create(site=site, phrase="scoundrel", kind="suspect")
    comment_id = post(client, article_url, "Such a scoundrel, that mayor.", token,
                      post_anyway=True)["comment"]["id"]
    actions.approve(Comment.objects.get(pk=comment_id), moderator)
    assert edit(client, comment_id, "Such a gentleman, that mayor.", token)["result"] == "approved"
    held_again = edit(client, comment_id, "Such a scoundrel, that mayor, again.", token)
    assert held_again["result"] == "pending"  # raising a status is always allowed


def test_a_clean_edit_of_an_approved_comment_stays_approved(site, client, article_url, without_model, token):
    comment_id = post(client, article_url, "A first draft.", token)["comment"]["id"]
    edited = edit(client, comment_id, "A second draft.", token)
    assert edited["result"] == "approved"
    assert "edited_after_decision" not in latest_pipeline_rules(comment_id)
