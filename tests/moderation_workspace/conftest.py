"""Two sites, a moderator for each, a commenter and an admin, all with real passwords."""

from __future__ import annotations

import pytest

from agora.accounts.models import SiteRole, User
from agora.comments.models import Site
from tests.moderation_workspace.factories import PASSWORD


def _user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.org",
                                    **extra)


@pytest.fixture
def other_site(db) -> Site:
    return Site.objects.create(slug="herald", name="The Herald", allowed_origins=["https://herald.example"])


@pytest.fixture
def moderator(site) -> User:
    user = _user("mona")
    SiteRole.objects.create(user=user, site=site, role=SiteRole.Role.MODERATOR)
    return user


@pytest.fixture
def other_moderator(other_site) -> User:
    user = _user("otto")
    SiteRole.objects.create(user=user, site=other_site, role=SiteRole.Role.MODERATOR)
    return user


@pytest.fixture
def commenter(db) -> User:
    return _user("carl")


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser(username="ada", password=PASSWORD, email="ada@example.org")


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client
