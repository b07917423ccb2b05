"""Brute force, session fixation and open redirects on every login."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore

from agora.accounts.models import User
from tests.accounts.helpers import PASSWORD, login, signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    user = User.objects.create(username="editor", email="editor@example.org", is_staff=True,
                               is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_api_login_locks_an_account_after_repeated_failures(client, site, settings):
    signup(client, site.slug, "ada@example.org")
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        assert login(client, site.slug, "ada@example.org", "guess").status_code == 403
    locked = login(client, site.slug, "ada@example.org")  # even the right password
    assert locked.status_code == 429 and locked.json()["code"] == "login_locked"
    # Case and spaces do not open a fresh counter.
    assert login(client, site.slug, " ADA@example.org").status_code == 429


def test_api_login_locks_an_address_trying_many_accounts(client, site, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    signup(client, site.slug, "ada@example.org")
    for number in range(6):
        assert login(client, site.slug, f"user{number}@example.org", "guess").status_code == 403
    assert login(client, site.slug, "ada@example.org").status_code == 429
    other_address = login(client, site.slug, "ada@example.org", REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 200


def test_successful_login_resets_the_account_counter(client, site, settings):
    signup(client, site.slug, "ada@example.org")
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT - 1):
        login(client, site.slug, "ada@example.org", "guess")
    assert login(client, site.slug, "ada@example.org").status_code == 200
    assert login(client, site.slug, "ada@example.org", "guess").status_code == 403


@pytest.mark.parametrize("login_path", ["/accounts/login/", "/admin/login/"])
def test_login_pages_are_throttled_too(client, admin_user, settings, login_path):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        client.post(login_path, {"username": "editor", "password": "guess"})
    response = client.post(login_path, {"username": "editor", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    # Agora's login page says so with 429; Django's admin page shows its generic error.
    assert response.status_code == (429 if login_path == "/accounts/login/" else 200)


@pytest.mark.parametrize("login_path", ["/accounts/login/", "/admin/login/"])
def test_login_rotates_the_session_key(client, admin_user, login_path):
    planted = SessionStore()
    planted["planted"] = True
    planted.save()
    client.cookies[client_cookie_name()] = planted.session_key
    response = client.post(login_path, {"username": "editor", "password": PASSWORD,
                                        "next": "/admin/"})
    assert response.status_code == 302
    new_key = client.cookies[client_cookie_name()].value
    assert new_key != planted.session_key
    assert not SessionStore().exists(planted.session_key)  # the planted id is dead
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def client_cookie_name() -> str:
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
    "https:evil.example", "javascript:alert(1)", "http://testserver@evil.example/",
    " https://evil.example", "/%5Cevil.example", "\t//evil.example",
])
def test_login_next_never_leaves_the_host(client, admin_user, target):
    response = client.post(f"/accounts/login/?next={target}", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    location = response["Location"]
    assert location == "/moderate/", location


def test_login_next_on_the_same_host_is_followed(client, admin_user):
    response = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD,
                                                "next": "/moderate/queue?site=chronicle"})
    assert response["Location"] == "/moderate/queue?site=chronicle"


def test_logout_page_ends_the_session(client, admin_user):
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
