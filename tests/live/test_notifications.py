"""Reply notifications and moderator e-mail through a real local SMTP server, one-click
unsubscribe links, and the opt-in API."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from agora.comments import services
from agora.comments.models import Comment
from agora.live import notify
from agora.live.models import Subscription
from agora.live.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db
ORIGIN = "https://news.example"


def reader_client() -> tuple[Client, str]:
    client = Client(headers={"Origin": ORIGIN})
    token = client.post("/api/v1/reader").json()["reader_token"]
    return client, token


def post(client: Client, token: str, url: str, body: str, **extra) -> int:
    response = client.post("/api/v1/comments", {"site": "chronicle", "url": url, "body": body,
                                                "author_name": extra.pop("name", "Ana"), **extra},
                           content_type="application/json", headers={"X-Agora-Reader": token})
    assert response.status_code == 201, response.content
    return response.json()["comment"]["id"]


def subscribe(client: Client, token: str, comment_id: int, address: str):
    return client.post("/api/v1/live/subscriptions", {"comment": comment_id, "email": address},
                       content_type="application/json", headers={"X-Agora-Reader": token})


def confirm_by_mail(mailbox, address: str) -> None:
    """Follow the double opt-in link of the confirmation mail (GET alone confirms nothing)."""
    # The job the worker runs once the subscription is committed.
    assert notify.send_subscription_confirmation(Subscription.objects.get(email=address).pk) == 1
    (confirmation,) = mailbox.wait_for(1)
    assert confirmation["To"] == address and "Confirm" in confirmation["Subject"]
    link = re.search(r"http\S+/live/confirm/\S+", confirmation.get_content()).group(0)
    path = link[link.index("/live/"):]
    assert Client().get(path).status_code == 200
    assert Subscription.objects.get(email=address).verified_at is None
    assert Client().post(path).status_code == 200
    assert Subscription.objects.get(email=address).verified_at is not None
    mailbox.messages.clear()


def test_the_author_opts_in_and_gets_a_reply_mail_with_a_one_click_unsubscribe(
        site, article_url, mailbox):
    author, author_token = reader_client()
    replier, replier_token = reader_client()
    parent_id = post(author, author_token, article_url, "What about the tolls?")
    assert subscribe(replier, replier_token, parent_id, "x@example.org").status_code == 403
    assert subscribe(author, author_token, parent_id, "not-an-address").status_code == 422
    answer = subscribe(author, author_token, parent_id, "Ana@Example.org")
    assert answer.status_code == 201
    assert answer.json() == {"subscribed": False, "email": "ana@example.org", "confirmation_sent": True}
    confirm_by_mail(mailbox, "ana@example.org")

    reply_id = post(replier, replier_token, article_url, "They stay the same.", parent=parent_id,
                    name="Ben")
    assert notify.send_reply_notifications(reply_id) == 1  # the job the worker runs
    (message,) = mailbox.wait_for(1)
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "[The Chronicle] Reply notifications"
    text = message.get_content()
    assert "They stay the same." in text
    link = re.search(r"http\S+/live/unsubscribe/\S+", text).group(0)
    assert message["List-Unsubscribe"].strip() == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    path = link[link.index("/live/"):]
    page = Client().get(path)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert Subscription.objects.get().active, "opening the page unsubscribes no one"
    assert Client().post(path).status_code == 200
    assert not Subscription.objects.get().active

    mailbox.messages.clear()
    second = post(replier, replier_token, article_url, "Another reply", parent=parent_id, name="Ben")
    assert notify.send_reply_notifications(second) == 0


def test_unsubscribe_tokens_are_per_recipient_and_tamper_proof(site, article_url):
    author, token = reader_client()
    comment_id = post(author, token, article_url, "Hello")
    subscription = Subscription.objects.create(comment_id=comment_id, email="ana@example.org",
                                               verified_at=timezone.now())
    forged = unsubscribe_token(subscription.pk, "eve@example.org")
    assert Client().post(f"/live/unsubscribe/{forged}").status_code == 404
    assert Client().post("/live/unsubscribe/garbage").status_code == 404
    assert Subscription.objects.get().active


def test_own_replies_and_held_replies_send_nothing(site, article_url, mailbox):
    author, token = reader_client()
    parent_id = post(author, token, article_url, "Hello", author_email="ana@example.org")
    Subscription.objects.create(comment_id=parent_id, email="ana@example.org", verified_at=timezone.now())
    own = post(author, token, article_url, "Replying to myself", parent=parent_id,
               author_email="ana@example.org")
    assert notify.send_reply_notifications(own) == 0
    other, other_token = reader_client()
    held = post(other, other_token, article_url, "held reply", parent=parent_id)
    services.set_status(Comment.objects.get(pk=held), Comment.Status.PENDING)
    assert notify.send_reply_notifications(held) == 0
    assert mailbox.messages == []


def test_moderators_get_a_digest_of_held_comments_and_escalation_alerts(
        site, article_url, mailbox, django_user_model):
    from agora.accounts.models import SiteRole

    moderator = django_user_model.objects.create_user("mod", "mod@example.org", "pw-123456", is_staff=True)
    SiteRole.objects.create(user=moderator, site=site)
    client, token = reader_client()
    for body in ("first held", "second held"):
        services.set_status(Comment.objects.get(pk=post(client, token, article_url, body)),
                            Comment.Status.PENDING)
    assert notify.send_moderator_digest(site.pk) == 2
    (digest,) = mailbox.wait_for(1)
    assert digest["To"] == "mod@example.org" and "2 comments" in digest["Subject"]
    assert "first held" in digest.get_content() and "second held" in digest.get_content()
    assert notify.send_moderator_digest(site.pk) == 0, "a digest lists each held comment once"

    article = services.find_article(site, article_url)
    assert notify.send_escalation_alert(article.pk, "a pile-on is under way") == 1
    alert = mailbox.wait_for(2)[-1]
    assert "Escalated" in alert["Subject"] and "pile-on" in alert.get_content()


@pytest.mark.django_db(transaction=True)
def test_an_escalation_sends_the_webhook_and_alerts_moderators(site, article_url, mailbox,
                                                                django_user_model):
    import time

    from agora.live.models import Webhook, WebhookDelivery
    from agora.moderation import escalation
    from tests.live.helpers import Receiver

    receiver = Receiver().start()
    try:
        django_user_model.objects.create_superuser("chief", "chief@example.org", "pw-123456")
        Webhook.objects.create(site=site, url=receiver.url, events=["article.escalated"])
        article = services.register_article(site, article_url, title="Harbour bridge")
        assert escalation.start(article, {"trigger": "hold_rate", "comments": 9, "hostile": 5,
                                          "hold_rate": 0.6, "window_seconds": 600}) is not None
        (alert,) = mailbox.wait_for(1, timeout=10)
        assert "Escalated: Harbour bridge" in alert["Subject"] and "hold_rate" in alert.get_content()
        deadline = time.monotonic() + 10
        while not WebhookDelivery.objects.filter(status="succeeded").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        delivery = WebhookDelivery.objects.get()
        assert delivery.event == "article.escalated" and delivery.status == "succeeded"
        assert delivery.payload["data"]["article"]["url"] == article_url
    finally:
        receiver.stop()
