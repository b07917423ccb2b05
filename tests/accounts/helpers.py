"""Test helpers shared by tests/accounts and tests/security: a real SMTP server, API calls."""

from __future__ import annotations

import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.servers import free_port

ORIGIN = "https://news.example"
PASSWORD = "correct horse battery staple 42"


class Mailbox:
    """Collects every message the local SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"expected {count} messages, got {len(self.messages)}"
        return self.messages

    def link(self, index: int = -1, path: str = "/accounts/") -> str:
        body = self.messages[index].get_content()
        found = re.search(r"https?://\S+" + re.escape(path) + r"\S+", body)
        assert found, body
        return found.group(0)


@pytest.fixture
def mailbox(settings):
    """A real SMTP server on a free local port; Django sends through it."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.PUBLIC_URL = "http://testserver"
    yield box
    controller.stop()


def call(client, method: str, path: str, body: dict | None = None, token: str | None = None,
         origin: str | None = ORIGIN, **extra):
    headers = {}
    if token:
        headers["HTTP_X_AGORA_READER"] = token
    if origin:
        headers["HTTP_ORIGIN"] = origin
    if body is None and method.upper() != "GET":  # like fetch() without a body
        return client.generic(method.upper(), f"/api/v1{path}", b"", **headers, **extra)
    if body is None:
        return client.get(f"/api/v1{path}", **headers, **extra)
    return getattr(client, method.lower())(f"/api/v1{path}", body, content_type="application/json",
                                           **headers, **extra)


def signup(client, site_slug: str, email: str, name: str = "Reader", password: str = PASSWORD):
    return call(client, "POST", "/auth/signup",
                {"site": site_slug, "email": email, "password": password, "display_name": name})


def login(client, site_slug: str, email: str, password: str = PASSWORD, **extra):
    return call(client, "POST", "/auth/login",
                {"site": site_slug, "email": email, "password": password}, **extra)


def user_token(client, site_slug: str, email: str, name: str = "Reader") -> str:
    response = signup(client, site_slug, email, name)
    assert response.status_code == 201, response.content
    return response.json()["reader_token"]


def post_comment(client, site_slug: str, url: str, body: str, token: str | None = None,
                 name: str = "Anon", **fields):
    payload = {"site": site_slug, "url": url, "body": body, "author_name": name, **fields}
    return call(client, "POST", "/comments", payload, token=token)
