"""The reader API as the widget calls it, through Django's test client."""

from __future__ import annotations

from django.test import Client


def reader_token(client: Client) -> str:
    response = client.post("/api/v1/reader")
    assert response.status_code == 201
    return response.json()["reader_token"]


def post(client: Client, url: str, body: str, token: str = "", **extra) -> dict:
    """POST /api/v1/comments on the site `chronicle`; the JSON answer plus its HTTP `status`."""
    payload = {"site": "chronicle", "url": url, "body": body, "author_name": "Ana", **extra}
    response = client.post("/api/v1/comments", payload, content_type="application/json",
                           HTTP_X_AGORA_READER=token)
    return {"status": response.status_code, **response.json()}
