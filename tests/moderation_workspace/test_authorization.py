"""Only moderators reach /moderate/, and only for their own sites: everything of another site is
missing (404), commenters get 403, anonymous visitors are sent to the login page."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.conf import settings
from django.shortcuts import resolve_url

from agora.comments.models import Comment
from agora.moderation import actions
from agora.moderation.models import AuditEntry
from tests.moderation_workspace import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(other_site, other_moderator):
    """A held comment, its article and an audit entry on the other site."""
    article = factories.article(other_site, "herald-story", "Herald story")
    held = factories.comment(article, "Held on the Herald.", reader_id="herald-reader",
                             author_email="herald@example.org")
    actions.close_article(article, other_moderator, True, "night")
    return {"article": article, "comment": held}


def _pages(foreign) -> list[str]:
    comment, article = foreign["comment"], foreign["article"]
    return ["/moderate/", "/moderate/queue/pending", "/moderate/queue/all", "/moderate/dashboard",
            "/moderate/audit", "/moderate/audit.csv", f"/moderate/articles/{article.pk}",
            f"/moderate/authors/reader/{comment.reader_id}"]


def _posts(foreign) -> list[tuple[str, dict]]:
    comment, article = foreign["comment"], foreign["article"]
    return [
        (f"/moderate/comments/{comment.pk}/approve", {}),
        (f"/moderate/comments/{comment.pk}/reject", {}),
        (f"/moderate/comments/{comment.pk}/undo", {}),
        ("/moderate/bulk", {"action": "approve", "ids": [comment.pk]}),
        (f"/moderate/articles/{article.pk}", {"action": "open"}),
        (f"/moderate/articles/{article.pk}", {"action": "end_escalation"}),
        (f"/moderate/authors/reader/{comment.reader_id}/actions",
         {"site": "herald", "action": "ban", "reason": "x"}),
    ]


def _unchanged(foreign) -> None:
    comment, article = foreign["comment"], foreign["article"]
    comment.refresh_from_db()
    article.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and article.is_closed
    assert not AuditEntry.objects.exclude(action="article.close").exists()


def test_anonymous_visitors_are_sent_to_login(client, foreign):
    for url in _pages(foreign):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={quote(url)}", url
    for url, data in _posts(foreign):
        assert client.post(url, data).status_code == 302, url
    _unchanged(foreign)


def test_commenters_are_refused_everywhere(client, commenter, foreign):
    client.force_login(commenter)
    for url in _pages(foreign):
        assert client.get(url).status_code == 403, url
    for url, data in _posts(foreign):
        assert client.post(url, data, HTTP_ACCEPT="application/json").status_code == 403, url
    _unchanged(foreign)


def test_a_moderator_of_one_site_cannot_see_or_act_on_another(mod_client, site, foreign):
    mine = factories.comment(factories.article(site), "Held on the Chronicle.")
    comment, article = foreign["comment"], foreign["article"]

    queue = mod_client.get("/moderate/queue/all").content.decode()
    assert "Held on the Chronicle." in queue and "Held on the Herald." not in queue
    assert "The Herald" not in queue  # not even in the site filter
    audit = mod_client.get("/moderate/audit").content.decode()
    assert "article.close" not in audit
    assert mod_client.get("/moderate/audit.csv").getvalue().decode().count("\n") == 1  # header only
    for url in (f"/moderate/articles/{article.pk}", f"/moderate/authors/reader/{comment.reader_id}",
                "/moderate/dashboard?site=herald", "/moderate/queue/pending?site=herald&x=1"):
        response = mod_client.get(url)
        if "queue" in url:
            assert "Held on the Herald." not in response.content.decode()
        else:
            assert response.status_code == 404, url
    for url, data in _posts(foreign):
        assert mod_client.post(url, data, HTTP_ACCEPT="application/json").status_code == 404, url
    # A bulk request mixing own and foreign comments changes nothing at all.
    response = mod_client.post("/moderate/bulk", {"action": "approve", "ids": [mine.pk, comment.pk]})
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.status == Comment.Status.PENDING
    _unchanged(foreign)


def test_admins_see_every_site(client, admin_user, site, foreign):
    client.force_login(admin_user)
    assert "Held on the Herald." in client.get("/moderate/queue/pending").content.decode()
    assert client.get(f"/moderate/articles/{foreign['article'].pk}").status_code == 200


def test_actions_need_post_and_a_csrf_token(client, moderator, site):
    held = factories.comment(factories.article(site), "Held.")
    client.force_login(moderator)
    assert client.get(f"/moderate/comments/{held.pk}/approve").status_code == 405

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(moderator)
    assert strict.post(f"/moderate/comments/{held.pk}/approve").status_code == 403
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
