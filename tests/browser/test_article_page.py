"""The demo article page works without JavaScript: the discussion is rendered on the server."""

from __future__ import annotations

import pytest

from agora.comments import services
from agora.comments.models import Site
from agora.demo import content
from agora.demo.views import DEMO_SITE, story_url


@pytest.mark.django_db
def test_article_page_shows_the_discussion_without_javascript(client):
    site = Site.objects.create(slug=DEMO_SITE, name="Demo")
    story = content.STORIES[0]
    top = services.post_comment(site=site, url=story_url(story.slug), body="A <b>bold</b> *claim*.",
                                author_name="Ada", actor=services.Actor(reader_id="a")).comment
    reply = services.post_comment(site=site, url=story_url(story.slug), body="A reply.", parent_id=top.pk,
                                  author_name="Grace", actor=services.Actor(reader_id="g")).comment

    page = client.get(f"/news/{story.slug}").content.decode()

    assert f'id="agora-comment-{top.pk}"' in page and f'id="agora-comment-{reply.pk}"' in page
    assert "<em>claim</em>" in page and "<b>bold</b>" not in page  # user HTML is never rendered
    assert "Grace" in page and "A reply." in page
    assert '<script src="/embed.js" data-site="demo" async></script>' in page


@pytest.mark.django_db
def test_embed_script_is_served_to_any_origin(client):
    response = client.get("/embed.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert b"attachShadow" in response.content
