"""Calling the DSA endpoints as the widget and the notice form do."""

from __future__ import annotations

from django.test import Client

from tests.api_client import reader_token

NOTICE = {"category": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
          "explanation": "Accuses a named official of a crime without any evidence: defamation.",
          "notifier_name": "Nora Notifier", "notifier_email": "nora@example.org", "good_faith": True}


def send_notice(client: Client, comment_id: int, token: str = "", **changes) -> tuple[int, dict]:
    payload = {"comment": comment_id, **NOTICE, **changes}
    response = client.post("/api/v1/dsa/notices", payload, content_type="application/json",
                           HTTP_X_AGORA_READER=token)
    return response.status_code, response.json()


def appeal(client: Client, path: str, token: str = "", **payload) -> tuple[int, dict]:
    body = {"text": "I only quoted the court ruling.", **payload}
    response = client.post(f"/api/v1/dsa/{path}/appeals", body,
                           content_type="application/json", HTTP_X_AGORA_READER=token)
    return response.status_code, response.json()


__all__ = ["NOTICE", "appeal", "reader_token", "send_notice"]
