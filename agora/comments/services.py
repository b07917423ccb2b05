"""Business logic of articles and comments. Views stay thin and call these functions."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from agora import identity
from agora.accounts.policy import check_may_comment
from agora.accounts.services import normalize_display_name
from agora.comments import markup, writing
from agora.comments.models import Article, Comment, Site, Vote, controversy_of
from agora.comments.signals import comment_changed, comment_posted
from agora.errors import Conflict, Forbidden, InvalidInput, NotFound
from agora.identity import Actor
from agora.moderation import admission, edits, pipeline, reputation

# Actor is the callers' way to say who acts (agora.identity owns it).
__all__ = ["Actor", "PostResult", "canonical_url", "counts", "delete_comment",
           "edit_comment", "find_article", "get_comment", "get_site", "post_comment",
           "register_article", "set_status", "vote"]

logger = logging.getLogger("agora.comments")

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


@dataclass(frozen=True)
class PostResult:
    comment: Comment | None
    verdict: pipeline.Verdict


def canonical_url(url: str) -> str:
    """One key per article: lower-case scheme and host, no fragment, no tracking parameters,
    no trailing slash on the path."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise InvalidInput("Enter an absolute http(s) URL.", field="url")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
         if not k.lower().startswith(_TRACKING_PARAMS)]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


SITE_CACHE_SECONDS = 30


def site_cache_key(slug: str) -> str:
    return f"site:{slug}"


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


def get_site(slug: str) -> Site:
    """The site, cached briefly: every API call names one, and sites change rarely (a save
    clears this process's entry at once; other processes follow within SITE_CACHE_SECONDS)."""
    if not _SLUG.fullmatch(slug):
        # Not a slug any site can have: no cache key or query built from arbitrary text.
        raise NotFound("No such site.", code="site_not_found", field="site")
    key = site_cache_key(slug)
    site = cache.get(key)
    if site is None:
        site = Site.objects.filter(slug=slug).first()
        if site is None:
            raise NotFound(f"No site '{slug}'.", code="site_not_found", field="site")
        cache.set(key, site, SITE_CACHE_SECONDS)
    return site


def check_origin(site: Site, origin: str | None) -> None:
    if not site.allows_origin(origin):
        raise Forbidden(f"Origin {origin} may not use site '{site.slug}'.", code="origin_not_allowed")


def find_article(site: Site, url: str) -> Article | None:
    return Article.objects.by_url(site.pk, canonical_url(url))


def register_article(site: Site, url: str, *, title: str = "",
                     published_at: datetime | None = None, is_closed: bool | None = None) -> Article:
    """Create or update an article (publisher API and admin)."""
    article, created = Article.objects.get_or_create(
        site=site, url=canonical_url(url), defaults={"title": title[:500], "published_at": published_at}
    )
    changed = []
    if not created:
        for name, value in (("title", title[:500]), ("published_at", published_at),
                            ("is_closed", is_closed)):
            if value not in (None, "") and getattr(article, name) != value:
                setattr(article, name, value)
                changed.append(name)
    elif is_closed is not None:
        article.is_closed = is_closed
        changed.append("is_closed")
    if changed:
        article.version = F("version") + 1
        article.save(update_fields=[*changed, "version"])
        article.refresh_from_db()
    return article


def _article_for_post(site: Site, url: str, title: str) -> Article:
    article = find_article(site, url)
    if article is not None:
        return article
    if not site.auto_register_articles:
        raise NotFound("This article is not registered for comments.", code="article_not_found",
                       field="url")
    if not site.owns_url(url):
        # Permalinks redirect to the article: only the site's own pages may become one.
        raise InvalidInput(f"The article URL must be on one of {site.name}'s own origins.",
                           code="url_not_on_site", field="url")
    try:
        with transaction.atomic():
            return Article.objects.create(site=site, url=canonical_url(url), title=title[:500])
    except IntegrityError:  # registered by a concurrent first comment
        return Article.objects.get(site=site, url=canonical_url(url))


def clean_body(site: Site, body: str) -> str:
    body = body.replace("\r\n", "\n").replace("\x00", "")
    if not body.strip():
        raise InvalidInput("Write something before posting: the comment is empty.",
                           code="empty_comment", field="body")
    limit = min(site.max_comment_length, settings.MAX_COMMENT_LENGTH)
    if len(body) > limit:
        raise InvalidInput(f"The comment is {len(body):,} characters long; the limit is {limit:,}.",
                           code="too_long", field="body")
    return body


def clean_author_name(name: str, actor: Actor) -> str:
    if actor.user is not None:
        return actor.user.public_name()[:80]
    # The moderation pipeline checks the words of the name (its user-name phase).
    return normalize_display_name(name, field="author_name")


def post_comment(*, site: Site, url: str, body: str, actor: Actor, author_name: str = "",
                 author_email: str = "", parent_id: int | None = None, title: str = "",
                 ignore_nudge: bool = False,
                 on_stored: Callable[[Comment], None] | None = None) -> PostResult:
    """Validate, moderate and store a new comment. Nothing is written if any check fails
    (a banned, suspended or too fast author: `pipeline.Refusal`). `on_stored` runs inside the
    transaction that stores the comment."""
    admission.admit(site, user=actor.user, reader_id=actor.reader_id, ip=actor.ip)
    check_may_comment(site, actor)
    body = clean_body(site, body)
    author_name = clean_author_name(author_name, actor)
    article = _article_for_post(site, url, title)
    if article.is_closed:
        raise Forbidden("Comments are closed on this article.", code="article_closed")
    parent = _parent_for_reply(site, article, parent_id)

    verdict = pipeline.moderate(pipeline.Submission(
        site=site, article=article, body=body, author_name=author_name, author=actor.user,
        reader_id=actor.reader_id, ip=actor.ip, parent=parent, ignore_nudge=ignore_nudge,
        author_email=author_email.strip()[:254],
    ))
    if verdict.nudge and not ignore_nudge:
        return PostResult(None, verdict)

    with transaction.atomic():
        comment = writing.build(
            site, body, ip=actor.ip, article=article, parent=parent,
            depth=parent.depth + 1 if parent else 0, author=actor.user, author_name=author_name,
            author_email=author_email.strip()[:254], reader_id=actor.reader_id,
            status=verdict.status, created_at=timezone.now(),
        )
        comment.save(force_insert=True)
        writing.place(comment, parent)
        Comment.objects.save_places([comment])
        if on_stored is not None:
            on_stored(comment)
        pipeline.record(comment, verdict)
        visible = comment.status == Comment.Status.APPROVED
        if visible:
            Comment.objects.count_reply(comment.parent_id, +1)
        _touch(article.pk, +1 if visible else 0, top_level=parent is None)
        _announce(comment, "posted")
    return PostResult(comment, verdict)


def _parent_for_reply(site: Site, article: Article, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id, site=site).first()
    if parent is None or parent.status == Comment.Status.REJECTED:
        raise NotFound("The comment you reply to does not exist.", code="parent_not_found",
                       field="parent")
    if parent.article_id != article.pk:
        raise InvalidInput("The comment you reply to belongs to another article.",
                           code="parent_mismatch", field="parent")
    if parent.depth + 1 > site.max_depth:
        raise InvalidInput(f"Replies nest at most {site.max_depth} levels deep.",
                           code="too_deep", field="parent")
    return parent


def _touch(article_id: int, visible_delta: int = 0, *, top_level: bool = False) -> None:
    Article.objects.touch(article_id, visible_delta, visible_delta if top_level else 0)


def _announce(comment: Comment, change: str, before: str = "") -> None:
    """Send `comment_posted` or `comment_changed` once the current transaction commits."""
    transaction.on_commit(lambda: _send(comment, change, before))


def _send(written: Comment, change: str, before: str) -> None:
    try:
        if change == "posted":  # exactly what this request wrote
            comment_posted.send_robust(sender=Comment, comment=written)
            return
        # Other changes (votes, edits, moderation) can race each other: read the row back.
        comment = Comment.objects.select_related("article", "author").filter(pk=written.pk).first()
        if comment is not None:
            comment_changed.send_robust(sender=Comment, comment=comment, change=change, before=before)
    except Exception:  # what follows a change must never fail the write that caused it
        logger.exception("announcing the %s of comment %s failed", change, written.pk)


def set_status(comment: Comment, status: str) -> None:
    """Change a comment's status and keep counts and caches right (used by moderation)."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        before = locked.status
        if before == status:
            return
        Comment.objects.filter(pk=locked.pk).update(status=status)
        approved = Comment.Status.APPROVED
        delta = 0 if approved not in (before, status) else +1 if status == approved else -1
        if delta:
            Comment.objects.count_reply(locked.parent_id, delta)
        _touch(locked.article_id, delta, top_level=locked.depth == 0)
        _announce(locked, "status", before)
    comment.status = status


def get_comment(comment_id: int, site: Site | None = None) -> Comment:
    queryset = Comment.objects.select_related("article", "site")
    if site is not None:
        queryset = queryset.filter(site=site)
    comment = queryset.filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(f"No comment {comment_id}.", code="comment_not_found")
    return comment


def _check_editable(comment: Comment, actor: Actor) -> None:
    if not actor.owns(comment):
        raise Forbidden("Only the author can change this comment.", code="not_author")
    if comment.is_deleted:
        raise Conflict("This comment was deleted.", code="deleted")
    window = timedelta(seconds=comment.site.edit_window_seconds)
    if timezone.now() - comment.created_at > window:
        minutes = comment.site.edit_window_seconds // 60
        raise Forbidden(f"Comments can be changed for {minutes} minutes after posting.",
                        code="edit_window_closed")


def edit_comment(comment: Comment, body: str, actor: Actor) -> PostResult:
    _check_editable(comment, actor)
    admission.admit(comment.site, user=actor.user, reader_id=actor.reader_id, ip=actor.ip)
    body = clean_body(comment.site, body)
    status_before, body_before = comment.status, comment.body
    verdict = pipeline.moderate(pipeline.Submission(
        site=comment.site, article=comment.article, body=body, author_name=comment.author_name,
        author=actor.user, reader_id=actor.reader_id, ip=actor.ip, parent=comment.parent,
        editing=comment,
    ))
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(
            body=body, body_html=markup.render(body), edited_at=timezone.now()
        )
        comment.refresh_from_db()
        verdict = edits.verdict_for_edit(comment, status_before, body_before, verdict)
        pipeline.record(comment, verdict)
        set_status(comment, verdict.status)
        _touch(comment.article_id)
        _announce(comment, "edited")
    comment.refresh_from_db()
    return PostResult(comment, verdict)


def delete_comment(comment: Comment, actor: Actor) -> Comment:
    """Soft delete: the text goes, the place in the thread (and its replies) stays."""
    _check_editable(comment, actor)
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(is_deleted=True, body="", body_html="")
        _touch(comment.article_id)
        _announce(comment, "deleted")
    comment.refresh_from_db()
    return comment


def vote(comment: Comment, value: int, actor: Actor) -> Comment:
    if value not in (1, -1):
        raise InvalidInput("A vote is 1 (up) or -1 (down).", field="value")
    if not actor.voter_key:
        raise Forbidden("Voting needs a reader token or an account.", code="no_identity")
    if comment.status != Comment.Status.APPROVED or comment.is_deleted:
        raise Conflict("This comment cannot be voted on.", code="not_votable")
    if actor.owns(comment):
        raise Forbidden("You cannot vote on your own comment.", code="own_comment")
    network = identity.hash_network(actor.ip)
    reputation.refuse_banned(comment.site, actor, network)
    new_reader = not reputation.has_standing(comment.site, actor)
    try:
        with transaction.atomic():
            counted = not new_reader or not Vote.objects.filter(
                comment=comment, network_hash=network, from_new_reader=True, counted=True).exists()
            counted = _store_vote(comment, actor.voter_key, value, counted, new_reader, network)
            if counted:
                _count_vote(comment, value)
    except IntegrityError:
        raise Conflict("You have already voted on this comment.", code="already_voted") from None
    return comment


def _store_vote(comment: Comment, voter: str, value: int, counted: bool, new_reader: bool,
                network: str) -> bool:
    """Store the vote; whether it counts. A concurrent new reader of the same network may have
    been counted first (the constraint says so): then this one is kept uncounted."""
    fields = {"comment": comment, "voter": voter, "value": value, "from_new_reader": new_reader,
              "network_hash": network}
    try:
        with transaction.atomic():
            Vote.objects.create(counted=counted, **fields)
            return counted
    except IntegrityError:
        if not (new_reader and counted) or Vote.objects.filter(comment=comment, voter=voter).exists():
            raise
    Vote.objects.create(counted=False, **fields)
    return False


def _count_vote(comment: Comment, value: int) -> None:
    field = "upvotes" if value > 0 else "downvotes"
    Comment.objects.filter(pk=comment.pk).update(**{field: F(field) + 1, "score": F("score") + value})
    comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
    comment.controversy = controversy_of(comment.upvotes, comment.downvotes)
    comment.save(update_fields=["controversy"])
    _touch(comment.article_id)
    _announce(comment, "voted")


def counts(site: Site, urls: list[str]) -> dict[str, int]:
    """Visible comment counts for many URLs in one query, keyed by the URLs as given."""
    keys: dict[str, str] = {}
    for url in urls:
        try:
            keys[url] = canonical_url(url)
        except InvalidInput:
            raise InvalidInput(f"Not an absolute http(s) URL: {url[:200]}", field="urls") from None
    found = dict(
        Article.objects.filter(site=site, url__in=set(keys.values())).values_list("url", "comment_count")
    )
    return {url: found.get(key, 0) for url, key in keys.items()}
