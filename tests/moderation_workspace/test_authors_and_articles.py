"""Author standing and article settings, checked where they matter: the reader API refuses or
holds the next comment."""

from __future__ import annotations

import pytest

from agora.comments.models import Article, Comment
from agora.moderation.models import AuditEntry, Escalation, Standing
from tests.moderation_workspace import factories

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}
URL = "https://news.example/harbour-bridge"


@pytest.fixture
def reader(client):
    """An anonymous reader with a token and one published comment."""
    token = client.post("/api/v1/reader").json()["reader_token"]
    posted = _api_post(client, token, "I have a view on the bridge.")
    assert posted.status_code == 201, posted.content
    comment = Comment.objects.get(pk=posted.json()["comment"]["id"])
    return {"token": token, "reader_id": comment.reader_id, "comment": comment}


def _api_post(client, token: str, body: str):
    return client.post("/api/v1/comments", {"site": "chronicle", "url": URL, "body": body,
                                            "author_name": "Rea"},
                       content_type="application/json", HTTP_X_AGORA_READER=token)


def _author_action(client, reader_id: str, **data):
    return client.post(f"/moderate/authors/reader/{reader_id}/actions", {"site": "chronicle", **data}, **JSON)


def test_ban_stops_posting_and_shows_the_reason(client, moderator, site, reader):
    client.force_login(moderator)
    missing = _author_action(client, reader["reader_id"], action="ban", reason="")
    assert missing.status_code == 422 and missing.json()["code"] == "reason_required"

    banned = _author_action(client, reader["reader_id"], action="ban", reason="Repeated slurs.")
    assert banned.status_code == 200

    refused = _api_post(client, reader["token"], "Trying again.")
    assert refused.status_code == 403
    assert refused.json()["code"] == "banned" and "Repeated slurs." in refused.json()["message"]
    entry = AuditEntry.objects.get(action="author.ban")
    assert entry.before["banned"] is False and entry.after["banned"] is True
    assert entry.reason == "Repeated slurs."

    _author_action(client, reader["reader_id"], action="unban")
    assert _api_post(client, reader["token"], "Back, politely.").status_code == 201


def test_timed_suspension(client, moderator, site, reader):
    client.force_login(moderator)
    bad = _author_action(client, reader["reader_id"], action="suspend", hours="0", reason="Cool off.")
    assert bad.status_code == 422 and bad.json()["field"] == "hours"
    assert _author_action(client, reader["reader_id"], action="suspend", hours="2",
                          reason="Cool off.").status_code == 200
    standing = Standing.objects.get(site=site, reader_id=reader["reader_id"])
    assert standing.is_suspended()
    refused = _api_post(client, reader["token"], "Still here.")
    assert refused.status_code == 403 and refused.json()["code"] == "suspended"


def test_always_premoderate_and_trust(client, moderator, site, reader):
    client.force_login(moderator)
    _author_action(client, reader["reader_id"], action="premoderate")
    assert _api_post(client, reader["token"], "Held for review.").json()["result"] == "pending"
    _author_action(client, reader["reader_id"], action="premoderate_off")
    _author_action(client, reader["reader_id"], action="trust")
    standing = Standing.objects.get(site=site, reader_id=reader["reader_id"])
    assert standing.trusted and not standing.always_premoderate
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == \
        ["author.premoderate", "author.premoderate_off", "author.trust"]


def test_article_settings(client, moderator, site, reader):
    client.force_login(moderator)
    article = Article.objects.get(url=URL)
    page = f"/moderate/articles/{article.pk}"

    client.post(page, {"action": "premoderate"}, **JSON)
    assert _api_post(client, reader["token"], "Held: the whole article is pre-moderated.").json()["result"] \
        == "pending"
    client.post(page, {"action": "premoderate_off"}, **JSON)

    assert client.post(page, {"action": "slow_mode", "slow_mode_seconds": "90"}, **JSON).json()[
        "slow_mode_seconds"] == 90
    bad = client.post(page, {"action": "slow_mode", "slow_mode_seconds": "-4"}, **JSON)
    assert bad.status_code == 422
    client.post(page, {"action": "slow_mode", "slow_mode_seconds": "0"}, **JSON)

    client.post(page, {"action": "pause"}, **JSON)
    assert "paused" in client.get(page).content.decode()
    refused = _api_post(client, reader["token"], "Paused?")
    assert refused.status_code == 403 and refused.json()["code"] == "article_closed"
    client.post(page, {"action": "resume"}, **JSON)
    client.post(page, {"action": "close", "reason": "Legal advice."}, **JSON)
    assert "closed" in client.get(page).content.decode()
    client.post(page, {"action": "open"}, **JSON)
    assert _api_post(client, reader["token"], "Open again.").status_code == 201

    actions = list(AuditEntry.objects.filter(target_type="article").order_by("pk")
                   .values_list("action", flat=True))
    assert actions == ["article.premoderate", "article.premoderate_off", "article.slow_mode",
                       "article.slow_mode", "article.pause", "article.resume", "article.close",
                       "article.open"]
    close = AuditEntry.objects.get(action="article.close")
    assert (close.before["is_closed"], close.after["is_closed"]) == (False, True)
    assert close.reason == "Legal advice."


def test_escalation_banner_and_ending_it(client, moderator, site):
    article = factories.article(site)
    Article.objects.filter(pk=article.pk).update(premoderate=True)
    Escalation.objects.create(article=article, was_premoderated=False,
                              trigger_stats={"trigger": "hold rate 60%", "comments": 10, "held": 6})
    client.force_login(moderator)
    page = client.get(f"/moderate/articles/{article.pk}").content.decode()
    assert 'role="alert"' in page and "hold rate 60%" in page and "End escalation" in page
    queue = client.get("/moderate/queue/pending").content.decode()
    assert "Escalated threads" in queue and f'href="/moderate/articles/{article.pk}"' in queue

    client.post(f"/moderate/articles/{article.pk}", {"action": "end_escalation", "reason": "Calm."})

    article.refresh_from_db()
    assert not article.premoderate
    assert Escalation.objects.get(article=article).ended_by == moderator
    assert AuditEntry.objects.get(action="article.escalation_end").reason == "Calm."
    assert 'role="alert"' not in client.get(f"/moderate/articles/{article.pk}").content.decode()
    assert "Escalated threads" not in client.get("/moderate/queue/pending").content.decode()
    again = client.post(f"/moderate/articles/{article.pk}", {"action": "end_escalation"}, **JSON)
    assert again.status_code == 409


def test_author_panel_history_and_evasion_hints(client, moderator, site):
    article = factories.article(site)
    banned = factories.comment(article, "First account.", status="rejected", reader_id="r-old",
                               author_email="jane.doe+news@gmail.com", ip="203.0.113.7")
    Standing.objects.create(site=site, reader_id="r-old", banned=True, ban_reason="Slurs")
    factories.comment(article, "Second account.", status="approved", reader_id="r-new",
                      author_email="janedoe@googlemail.com", ip="203.0.113.184")
    factories.comment(article, "Third.", status="pending", reader_id="r-new",
                      author_email="janedoe@googlemail.com", ip="198.51.100.3")
    factories.comment(article, "Throwaway.", reader_id="r-temp", author_email="x@mailinator.com")
    client.force_login(moderator)

    page = client.get("/moderate/authors/reader/r-new").content.decode()

    assert "Approved 1 · held 1 · rejected 0" in page
    assert "Second account." in page and "Third." in page and "First account." not in page
    assert "mailbox janedoe@gmail.com" in page
    # Both the same mailbox and the same /24 network (another address in it) point at the banned account.
    assert page.count('href="/moderate/authors/reader/r-old"') == 2 and "banned</span>" in page
    temp = client.get("/moderate/authors/reader/r-temp").content.decode()
    assert "disposable e-mail domain" in temp
    assert banned.author_email not in temp


def test_account_and_email_only_authors(client, moderator, commenter, site):
    article = factories.article(site)
    factories.comment(article, "From an account.", status="approved", author=commenter, author_name="Carl")
    factories.comment(article, "Imported, e-mail only.", status="approved", reader_id="-",
                      author_email="Old+archive@example.org")
    Comment.objects.filter(body="Imported, e-mail only.").update(reader_id="")
    client.force_login(moderator)

    page = client.get(f"/moderate/authors/user/{commenter.pk}").content.decode()
    assert "From an account." in page and "Imported" not in page
    client.post(f"/moderate/authors/user/{commenter.pk}/actions",
                {"site": "chronicle", "action": "premoderate"})
    assert Standing.objects.get(site=site, user=commenter).always_premoderate

    email_page = client.get("/moderate/authors/email/Old+archive@example.org")
    assert "Imported, e-mail only." in email_page.content.decode()
    assert "mailbox old@example.org" in email_page.content.decode()
    client.post("/moderate/authors/email/Old+archive@example.org/actions",
                {"site": "chronicle", "action": "ban", "reason": "Spam"})
    standing = Standing.objects.get(site=site, email="Old+archive@example.org")
    assert standing.banned and standing.user is None and standing.reader_id == ""
    assert client.get("/moderate/authors/user/999999").status_code == 404
    assert client.get("/moderate/authors/reader/nobody").status_code == 404
    assert client.get("/moderate/authors/robot/x").status_code == 404
