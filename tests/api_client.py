"""The reader API as the widget calls it, through Django's test client."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client


def reader_token(client: Client) -> str:
    response = client.post("/api/v1/reader")
    assert response.status_code == 201
    return response.json()["reader_token"]


def aged_reader_token(client: Client) -> str:
    """A reader token issued two days ago: old enough for its flags and votes to count fully."""
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() - timedelta(days=2)):
        return reader_token(client)


def post(client: Client, url: str, body: str, token: str = "", **extra) -> dict:
    """POST /api/v1/comments on the site `chronicle`; the JSON answer plus its HTTP `status`."""
    payload = {"site": "chronicle", "url": url, "body": body, "author_name": "Ana", **extra}
    response = client.post("/api/v1/comments", payload, content_type="application/json",
                           HTTP_X_AGORA_READER=token)
    return {"status": response.status_code, **response.json()}
