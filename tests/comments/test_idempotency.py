"""`POST /api/v1/comments` with an `Idempotency-Key`: a retry, or a concurrent duplicate, gets the
first answer and stores nothing more."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from agora.comments import idempotency
from agora.comments.models import Comment, IdempotentPost
from tests.api_client import reader_token

ORIGIN = "https://news.example"
URL = "https://news.example/2026/harbour-bridge"


def send(client: Client, token: str, key: str | None, body: str = "Posted exactly once, I hope."):
    headers = {"HTTP_X_AGORA_READER": token, **({"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {})}
    payload = {"site": "chronicle", "url": URL, "body": body, "author_name": "Ana"}
    return client.post("/api/v1/comments", payload, content_type="application/json", **headers)


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ORIGIN=ORIGIN)


@pytest.mark.django_db
def test_a_retry_gets_the_first_answer_and_stores_nothing(site, client):
    token = reader_token(client)
    first = send(client, token, "submission-1")
    retry = send(client, token, "submission-1")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert (first.get("Idempotent-Replayed"), retry["Idempotent-Replayed"]) == (None, "true")
    assert Comment.objects.count() == 1
    assert send(client, token, "submission-2").status_code == 201
    assert send(client, token, None).status_code == 201  # without a key, every request posts
    assert Comment.objects.count() == 3


@pytest.mark.django_db
def test_keys_belong_to_their_sender(site, client):
    send(client, reader_token(client), "same-key")
    other = send(client, reader_token(client), "same-key")
    assert other.status_code == 201 and "Idempotent-Replayed" not in other
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_gives_its_key_up(site, client):
    token = reader_token(client)
    refused = send(client, token, "fix-and-retry", body="   ")
    assert refused.status_code == 422
    assert send(client, token, "fix-and-retry").status_code == 201
    assert not IdempotentPost.objects.filter(status_code=0).exists()


@pytest.mark.django_db
def test_a_bad_key_is_refused_clearly(site, client):
    response = send(client, reader_token(client), "k" * 201)
    assert (response.status_code, response.json()["code"]) == (422, "bad_idempotency_key")
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_an_abandoned_claim_is_answered_from_its_comment_or_taken_over(site, client):
    token = reader_token(client)
    send(client, token, "crashed-after-storing")
    send(client, token, "crashed-before-storing", body="never stored")
    # As if both first requests died before answering: claims without an answer, hours old.
    IdempotentPost.objects.update(status_code=0, response=None)
    IdempotentPost.objects.filter(comment__body="never stored").update(comment=None)
    Comment.objects.filter(body="never stored").delete()
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        stored = send(client, token, "crashed-after-storing")
        taken_over = send(client, token, "crashed-before-storing", body="stored by the retry")
    assert (stored.status_code, stored["Idempotent-Replayed"]) == (201, "true")
    assert stored.json()["comment"]["html"] == "<p>Posted exactly once, I hope.</p>"
    assert taken_over.status_code == 201 and "Idempotent-Replayed" not in taken_over
    assert sorted(Comment.objects.values_list("body", flat=True)) == [
        "Posted exactly once, I hope.", "stored by the retry"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_store_one_comment(site):
    token = reader_token(Client(HTTP_ORIGIN=ORIGIN))
    start = threading.Barrier(4)
    answers: list[tuple[int, dict]] = []

    def duplicate() -> None:
        client = Client(HTTP_ORIGIN=ORIGIN)
        start.wait()
        try:
            response = send(client, token, "double-click")
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=duplicate) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Comment.objects.count() == 1
    assert [status for status, _ in answers] == [201] * 4
    assert len({answer["comment"]["id"] for _, answer in answers}) == 1


@pytest.mark.django_db
def test_answers_are_kept_for_a_day(site, client):
    token = reader_token(client)
    send(client, token, "yesterday")
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert idempotency.forget_old() == 1
        assert send(client, token, "yesterday").status_code == 201
    assert Comment.objects.count() == 2
