"""Reply notifications cannot be turned against strangers: double opt-in, caps per subscriber
and per address, and a subject no poster chooses. Through a real local SMTP server."""

from __future__ import annotations

import pytest

from agora.live import notify
from agora.live.models import SentMail, Subscription
from tests.live.test_notifications import confirm_by_mail, post, reader_client, subscribe

pytestmark = pytest.mark.django_db
STRANGER = "victim@example.org"


def test_an_unconfirmed_address_gets_no_reply_mail(site, article_url, mailbox):
    author, token = reader_client()
    parent_id = post(author, token, article_url, "Mail a stranger for me")
    assert subscribe(author, token, parent_id, STRANGER).json()["subscribed"] is False
    replier, replier_token = reader_client()
    for number in range(8):
        reply_id = post(replier, replier_token, article_url, f"Reply {number}", parent=parent_id)
        assert notify.send_reply_notifications(reply_id) == 0
    assert mailbox.messages == []
    assert not SentMail.objects.filter(kind="reply").exists()


def test_the_verified_address_of_the_own_account_needs_no_confirmation(site, article_url, mailbox):
    from agora.accounts.models import User
    from tests.accounts.helpers import user_token

    client, _ = reader_client()
    token = user_token(client, site.slug, "ana@example.org")
    User.objects.filter(email="ana@example.org").update(email_verified=True)
    parent = post(client, token, article_url, "Signed in")
    answer = subscribe(client, token, parent, "ANA@example.org")
    assert answer.status_code == 201 and answer.json()["subscribed"] is True
    other = subscribe(client, token, parent, "someone-else@example.org")
    assert other.json()["subscribed"] is False  # another address: double opt-in


def test_confirmation_mails_per_address_are_capped(site, article_url, mailbox, settings):
    settings.CONFIRMATIONS_PER_ADDRESS_PER_DAY = 2
    attempts = []
    for number in range(4):
        author, token = reader_client()
        comment = post(author, token, article_url, f"Comment {number}")
        attempts.append(subscribe(author, token, comment, STRANGER))
    assert [a.status_code for a in attempts] == [201, 201, 429, 429]
    assert attempts[2].json()["code"] == "confirmation_limit"
    assert SentMail.objects.filter(email=STRANGER, kind="confirmation").count() == 2
    for subscription in Subscription.objects.all():  # the jobs the worker runs
        notify.send_subscription_confirmation(subscription.pk)
    assert len(mailbox.wait_for(2)) == 2


def test_subscriptions_per_reader_token_are_capped(site, article_url, mailbox, settings):
    settings.SUBSCRIPTIONS_PER_READER_PER_DAY = 3
    author, token = reader_client()
    answers = [subscribe(author, token, post(author, token, article_url, f"Comment {n}"), f"a{n}@example.org")
               for n in range(5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
    assert answers[3].json()["code"] == "subscription_limit"
    assert Subscription.objects.count() == 3


def test_reply_mails_per_address_are_capped_and_the_subject_is_ours(site, article_url, mailbox, settings):
    settings.REPLY_MAILS_PER_ADDRESS_PER_DAY = 3
    author, token = reader_client()
    parent_id = post(author, token, article_url, "Tell me about replies")
    subscribe(author, token, parent_id, "ana@example.org")
    confirm_by_mail(mailbox, "ana@example.org")
    replier, replier_token = reader_client()
    sent = []
    for number in range(5):
        reply_id = post(replier, replier_token, article_url, f"Reply {number}", parent=parent_id,
                        name="FREE PRIZE at evil.example")
        sent.append(notify.send_reply_notifications(reply_id))
    assert sent == [1, 1, 1, 0, 0]
    messages = mailbox.wait_for(3)
    assert {m["Subject"] for m in messages} == {"[The Chronicle] Reply notifications"}
    assert all("evil.example" not in m["Subject"] for m in messages)


def test_confirmation_links_are_signed(site, article_url):
    from django.test import Client

    from agora.live.tokens import confirmation_token

    author, token = reader_client()
    subscription = Subscription.objects.create(comment_id=post(author, token, article_url, "Hi"),
                                               email=STRANGER)
    forged = confirmation_token(subscription.pk, "eve@example.org")
    assert Client().post(f"/live/confirm/{forged}").status_code == 404
    assert Client().post("/live/confirm/garbage").status_code == 404
    subscription.refresh_from_db()
    assert subscription.verified_at is None
