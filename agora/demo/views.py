"""The demo newspaper: a front page and article pages with the comment widget underneath.

The thread is also rendered on the server, so the discussion can be read without JavaScript;
the widget replaces it with the interactive version.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from agora.accounts.middleware import framable_by
from agora.comments import threads
from agora.comments.models import Article, Site
from agora.demo import content

DEMO_SITE = "demo"


def story_url(slug: str) -> str:
    return f"{settings.PUBLIC_URL}/news/{slug}"


def _render(request: HttpRequest, template: str, context: dict, site: Site | None) -> HttpResponse:
    """The demo newspaper is written in the demo site's language (`agora demo --lang`): its
    `<html lang>` is what the widget follows, as it would on a real newsroom's page."""
    with translation.override(site.language if site else "en"):
        return render(request, template, context)


def front_page(request: HttpRequest) -> HttpResponse:
    site = Site.objects.filter(slug=DEMO_SITE).first()
    counts = {}
    if site:
        counts = dict(Article.objects.filter(site=site).values_list("url", "comment_count"))
    stories = [{"story": story, "url": story_url(story.slug), "count": counts.get(story_url(story.slug), 0)}
               for story in content.STORIES]
    response = _render(request, "demo/front.html", {"stories": stories, "site": DEMO_SITE}, site)
    return framable_by(response, site)


def article_page(request: HttpRequest, slug: str) -> HttpResponse:
    story = content.find(slug)
    if story is None:
        raise Http404("No such story.")
    article = Article.objects.select_related("site").filter(site__slug=DEMO_SITE, url=story_url(slug)).first()
    comments = []
    if article is not None:
        page = threads.build_page(article, threads.PageRequest(full=True))
        comments = [{**c, "indent": min(c["depth"], 6)} for c in page["comments"]]
    site = article.site if article else Site.objects.filter(slug=DEMO_SITE).first()
    return framable_by(_render(request, "demo/article.html", {
        "story": story, "comments": comments, "site": DEMO_SITE, "url": story_url(slug),
    }, site), site)
