"""Reader tokens: anonymous ids and session tokens, and everything that invalidates them."""

from __future__ import annotations

import time

import pytest
from django.core import signing

from agora.accounts import privacy
from agora.accounts.models import User
from agora.accounts.readers import (
    identity_from_token,
    issue_reader_token,
    issue_session_token,
    reader_from_token,
    revoke_session_token,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    account = User.objects.create(username="ada@example.org", email="ada@example.org")
    account.set_password("first password 123")
    account.save()
    return account


def test_anonymous_token_round_trip_and_forgery():
    reader_id, token = issue_reader_token()
    assert reader_from_token(token) == reader_id
    assert identity_from_token(token).user is None
    assert reader_from_token(token[:-2] + "xx") is None
    assert reader_from_token("x" * 5000) is None
    assert reader_from_token(None) is None


def test_session_token_carries_user_and_reader(user):
    token = issue_session_token(user, "abc123")
    identity = identity_from_token(token)
    assert identity.user == user and identity.reader_id == "abc123"
    assert reader_from_token(token) == "abc123"  # callers of the old function keep working


def test_session_token_is_not_an_anonymous_token_and_vice_versa(user):
    # A session payload signed with the anonymous salt (or the reverse) is no identity.
    forged = signing.dumps({"u": user.pk, "r": "x", "f": "y"}, salt="agora.reader")
    assert identity_from_token(forged) is None


def test_logout_everywhere_password_change_and_deletion_invalidate(user):
    token = issue_session_token(user)
    User.objects.filter(pk=user.pk).update(session_version=user.session_version + 1)
    assert identity_from_token(token) is None

    user.refresh_from_db()
    token = issue_session_token(user)
    user.set_password("second password 456")
    user.save()
    assert identity_from_token(token) is None

    token = issue_session_token(user)
    privacy.request_deletion(user)
    assert identity_from_token(token) is None


def test_single_logout_revokes_only_that_token(user):
    first, second = issue_session_token(user), issue_session_token(user)
    revoke_session_token(first)
    assert identity_from_token(first) is None
    assert identity_from_token(second).user == user


def test_expired_and_inactive(user, settings):
    token = issue_session_token(user)
    settings.READER_TOKEN_MAX_AGE = 1
    time.sleep(2.1)
    assert identity_from_token(token) is None
    settings.READER_TOKEN_MAX_AGE = 3600
    assert identity_from_token(token).user == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert identity_from_token(token) is None
