"""Two sites, moderators, a site admin, and comments stored the way the product stores them."""

from __future__ import annotations

import pytest

from agora.accounts.models import SiteRole, User
from agora.comments.models import Site
from tests.moderation_workspace.factories import PASSWORD, article, comment


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.org",
                                    **extra)


def staff(username: str, site: Site, role: str = SiteRole.Role.MODERATOR) -> User:
    user = make_user(username)
    SiteRole.objects.create(user=user, site=site, role=role)
    return user


@pytest.fixture
def other_site(db) -> Site:
    return Site.objects.create(slug="herald", name="The Herald", allowed_origins=["https://herald.example"])


@pytest.fixture
def moderator(site) -> User:
    return staff("mona", site)


@pytest.fixture
def second_moderator(site) -> User:
    return staff("milo", site)


@pytest.fixture
def site_admin(site) -> User:
    return staff("sam", site, SiteRole.Role.ADMIN)


@pytest.fixture
def published(site):
    """An approved comment by an anonymous reader."""
    return comment(article(site), "The mayor takes bribes from the ferry company.", status="approved",
                   reader_id="author-reader")


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """E-mails leave when the transaction commits: `with committing():` runs those callbacks."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
