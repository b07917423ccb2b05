"""Atom feeds of approved comments: per article, per site, and replies to one reader."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from agora.comments.models import Article, Comment, Site
from agora.i18n.recipients import speaking
from agora.live.tokens import read_replies_feed_token

ITEMS = 50


def _public(comments: QuerySet) -> QuerySet:
    return (comments.filter(status=Comment.Status.APPROVED, is_deleted=False)
            .select_related("article", "site").order_by("-created_at", "-id")[:ITEMS])


class CommentFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, comment: Comment) -> str:
        # Feed readers send no Accept-Language: feeds speak the newsroom's language.
        with speaking(comment.site):
            title = _("%(author)s on %(article)s")
            return title % {"author": comment.author_name, "article": comment.article}

    def item_description(self, comment: Comment) -> str:
        return comment.body_html  # sanitised at posting; the feed escapes it as HTML content

    def item_link(self, comment: Comment) -> str:
        return f"{settings.PUBLIC_URL}/c/{comment.pk}"

    def item_guid(self, comment: Comment) -> str:
        return f"{settings.PUBLIC_URL}/c/{comment.pk}"

    item_guid_is_permalink = True

    def item_author_name(self, comment: Comment) -> str:
        return comment.author_name

    def item_pubdate(self, comment: Comment):
        return comment.created_at

    def item_updateddate(self, comment: Comment):
        return comment.edited_at or comment.created_at


class ArticleFeed(CommentFeed):
    def get_object(self, request: HttpRequest, article_id: int) -> Article:
        return get_object_or_404(Article.objects.select_related("site"), pk=article_id)

    def title(self, article: Article) -> str:
        with speaking(article.site):
            return _("Comments on %(article)s") % {"article": article}

    def link(self, article: Article) -> str:
        return article.url

    def items(self, article: Article):
        return _public(article.comments.all())


class SiteFeed(CommentFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Site:
        return get_object_or_404(Site, slug=slug)

    def title(self, site: Site) -> str:
        with speaking(site):
            return _("Latest comments on %(site)s") % {"site": site.name}

    def link(self, site: Site) -> str:
        return site.allowed_origins[0] if site.allowed_origins else settings.PUBLIC_URL + "/"

    def items(self, site: Site):
        return _public(site.comments.all())


class RepliesFeed(CommentFeed):
    """Replies to the comments of the reader (account or anonymous reader) the token names."""

    def get_object(self, request: HttpRequest, token: str) -> Q:
        found = read_replies_feed_token(token)
        if found is None:
            raise Http404("Unknown feed.")
        user_id, reader_id = found
        return Q(parent__author_id=user_id) if user_id else Q(parent__reader_id=reader_id)

    def title(self, whose: Q) -> str:
        return _("Replies to your comments")

    def link(self, whose: Q) -> str:
        return settings.PUBLIC_URL + "/"

    def items(self, whose: Q):
        return _public(Comment.objects.filter(whose))
