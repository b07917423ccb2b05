"""Each moderator action changes the comment, keeps the article's count right, and leaves a
moderator decision (a training label when it overrides the pipeline) and an audit entry."""

from __future__ import annotations

import pytest

from agora.comments.models import Article, Comment
from agora.moderation.models import AuditEntry, Decision
from tests.moderation_workspace import factories

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _count(article: Article) -> int:
    return Article.objects.get(pk=article.pk).comment_count


def _post(client, comment: Comment, action: str):
    return client.post(f"/moderate/comments/{comment.pk}/{action}", **JSON)


def test_approve_publishes_a_held_comment_and_records_a_label(mod_client, moderator, site):
    article = factories.article(site)
    held = factories.comment(article, "Held by the trust ramp.")
    version = Article.objects.get(pk=article.pk).version

    response = _post(mod_client, held, "approve")

    assert response.status_code == 200
    assert response.json() == {"id": held.pk, "status": "approved", "previous": "pending",
                               "message": f"Comment {held.pk} approved."}
    held.refresh_from_db()
    assert held.status == "approved" and _count(article) == 1
    assert Article.objects.get(pk=article.pk).version > version  # cached thread pages are stale now
    decision = held.decisions.filter(source=Decision.Source.MODERATOR).get()
    assert (decision.status, decision.actor, decision.is_label, decision.label) == \
        ("approved", moderator, True, "ok")
    entry = AuditEntry.objects.get(action="comment.approve")
    assert (entry.actor, entry.site, entry.target_type, entry.target_id) == \
        (moderator, site, "comment", str(held.pk))
    assert (entry.before, entry.after) == ({"status": "pending"}, {"status": "approved"})


def test_reject_hides_an_approved_comment_and_fixes_counts(mod_client, site):
    article = factories.article(site)
    parent = factories.comment(article, "Parent.", status="approved")
    reply = factories.comment(article, "A nasty reply.", status="approved", parent=parent)
    assert _count(article) == 2 and Comment.objects.get(pk=parent.pk).reply_count == 1

    assert _post(mod_client, reply, "reject").json()["status"] == "rejected"

    assert _count(article) == 1 and Comment.objects.get(pk=parent.pk).reply_count == 0
    decision = reply.decisions.get(source=Decision.Source.MODERATOR)
    assert (decision.is_label, decision.label) == (True, "toxic")


def test_agreeing_with_the_pipeline_is_not_a_training_label(mod_client, site):
    rejected = factories.comment(factories.article(site), "Spam spam.", status="rejected")
    _post(mod_client, rejected, "approve")
    _post(mod_client, rejected, "reject")
    labels = list(rejected.decisions.filter(source="moderator").order_by("pk")
                  .values_list("is_label", flat=True))
    assert labels == [True, False]


def test_undo_walks_back_through_the_decisions(mod_client, site):
    article = factories.article(site)
    held = factories.comment(article, "Undo me.")
    _post(mod_client, held, "approve")
    _post(mod_client, held, "reject")

    first = _post(mod_client, held, "undo").json()
    assert (first["status"], first["previous"]) == ("approved", "rejected") and _count(article) == 1
    second = _post(mod_client, held, "undo").json()
    assert second["status"] == "pending" and _count(article) == 0
    nothing = _post(mod_client, held, "undo")
    assert nothing.status_code == 409 and nothing.json()["code"] == "nothing_to_undo"

    undos = AuditEntry.objects.filter(action="comment.undo").order_by("pk")
    assert [e.after["status"] for e in undos] == ["approved", "pending"]
    assert held.decisions.filter(source="moderator").count() == 4


def test_bulk_approve_and_reject(mod_client, site):
    article = factories.article(site)
    held = [factories.comment(article, f"Held {i}.") for i in range(3)]
    ids = [c.pk for c in held]

    response = mod_client.post("/moderate/bulk", {"action": "approve", "ids": ids}, **JSON)
    assert response.json()["changed"] == 3
    assert set(Comment.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"approved"}
    assert _count(article) == 3
    assert AuditEntry.objects.filter(action="comment.approve").count() == 3

    response = mod_client.post("/moderate/bulk", {"action": "reject", "ids": ids[:2]}, **JSON)
    assert response.json()["changed"] == 2 and _count(article) == 1

    bad = mod_client.post("/moderate/bulk", {"action": "delete", "ids": ids}, **JSON)
    assert bad.status_code == 422 and bad.json()["field"] == "action"
    empty = mod_client.post("/moderate/bulk", {"action": "approve"}, **JSON)
    assert empty.status_code == 422


def test_plain_form_posts_redirect_back_with_a_message(mod_client, site):
    held = factories.comment(factories.article(site), "No JavaScript here.")
    response = mod_client.post(f"/moderate/comments/{held.pk}/approve",
                               {"next": "/moderate/queue/pending"}, follow=True)
    assert response.redirect_chain[-1][0] == "/moderate/queue/pending"
    assert f"Comment {held.pk} approved." in response.content.decode()
    offsite = mod_client.post(f"/moderate/comments/{held.pk}/reject", {"next": "https://evil.example/"})
    assert offsite["Location"] == "/moderate/queue/pending"
