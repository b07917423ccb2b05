from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, connections, models, router
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agora.i18n.languages import LANGUAGES

# The statements every post and every cached thread read run are written out in SQL, because
# the ORM's compilation of the same statements costs more than running them (a fifth of a
# post's instructions: bench/instructions.py). They live here, behind the managers.


def _write(model: type[models.Model], sql: str, params: Sequence, many: bool = False) -> None:
    """Run one statement on the model's write database, datetimes stored as the ORM stores them."""
    database = connections[router.db_for_write(model)]
    with database.cursor() as cursor:
        if many:
            cursor.executemany(sql, params)
        else:
            adapt = database.ops.adapt_datetimefield_value
            cursor.execute(sql, [adapt(p) if isinstance(p, datetime) else p for p in params])


def _new_api_key() -> str:
    return secrets.token_urlsafe(24)


class Site(models.Model):
    """A news domain that embeds Agora: its origins, its publisher key and its settings."""

    slug = models.SlugField(unique=True, help_text=_("The value of data-site in the embed tag."))
    name = models.CharField(max_length=200)
    allowed_origins = models.JSONField(
        default=list,
        blank=True,
        help_text=_('Origins allowed to embed the widget, e.g. ["https://news.example"].'),
    )
    api_key = models.CharField(max_length=64, unique=True, default=_new_api_key)
    auto_register_articles = models.BooleanField(
        default=True, help_text=_("Create an article on the first comment from an allowed origin.")
    )
    edit_window_seconds = models.PositiveIntegerField(default=15 * 60)
    max_comment_length = models.PositiveIntegerField(default=10_000)
    max_depth = models.PositiveIntegerField(
        default=50, help_text=_("Deepest reply level stored; the widget indents at most 6.")
    )
    language = models.CharField(
        _("language"), max_length=10, choices=LANGUAGES, default="en",
        help_text=_("The newsroom's language: e-mails to readers without an account use it."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    def allows_origin(self, origin: str | None) -> bool:
        if not origin:
            return True  # same-origin requests and server-to-server calls carry no Origin
        return origin.rstrip("/") in {o.rstrip("/") for o in self.allowed_origins}

    def owns_url(self, url: str) -> bool:
        """Whether `url` is on one of the site's own origins (scheme, host and port), or on
        Agora's own (its pages, such as the demo newspaper, are never someone else's)."""
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return False
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        agora = urlsplit(settings.PUBLIC_URL)
        own = {o.rstrip("/").lower() for o in self.allowed_origins} | {f"{agora.scheme}://{agora.netloc}".lower()}
        return origin in own


class ArticleManager(models.Manager):
    def by_url(self, site_id: int, canonical_url: str) -> Article | None:
        return next(iter(self.raw(_ARTICLE_BY_URL, [site_id, canonical_url])), None)

    def version_at(self, site_id: int, canonical_url: str) -> tuple[int, int] | None:
        """(id, version): a page of the thread is cached under this version."""
        with connection.cursor() as cursor:
            cursor.execute(_VERSION_AT_URL, [site_id, canonical_url])
            return cursor.fetchone()

    def touch(self, article_id: int, visible_delta: int = 0, top_level_delta: int = 0) -> None:
        """Bump the version (which invalidates cached pages) in the same UPDATE as the change
        to the counts of visible comments."""
        _write(Article, _TOUCH_ARTICLE, [timezone.now(), visible_delta, top_level_delta, article_id])

    def visible_count(self, article_id: int) -> int:
        """The article's visible comments as committed (read where writes go: a replica may lag)."""
        with connections[router.db_for_write(Article)].cursor() as cursor:
            cursor.execute(_COUNT_VISIBLE, [article_id])
            found = cursor.fetchone()
        return found[0] if found else 0


class Article(models.Model):
    """A page that carries a discussion, keyed by its canonical URL within a site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="articles")
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    is_closed = models.BooleanField(default=False, help_text=_("No new comments."))
    premoderate = models.BooleanField(default=False, help_text=_("Hold every new comment."))
    slow_mode_seconds = models.PositiveIntegerField(default=0)
    # Number of visible (approved) comments, including deleted ones that keep their replies.
    comment_count = models.PositiveIntegerField(default=0)
    # The visible top-level ones: a page of the thread knows how many follow without counting
    # them (a count over a 100,000-comment story costs more than the page itself).
    top_level_count = models.PositiveIntegerField(default=0)
    # Bumped on every change to the thread; part of every cache key of the thread.
    version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_comment_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleManager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [models.UniqueConstraint(fields=["site", "url"], name="article_unique_url")]

    def __str__(self) -> str:
        return self.title or self.url


class CommentQuerySet(models.QuerySet):
    def visible(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def visible_to(self, reader_id: str | None, user_id: int | None) -> CommentQuerySet:
        """Approved comments plus the reader's own comments awaiting review."""
        own = Q(status=Comment.Status.PENDING) & (
            Q(reader_id=reader_id) if reader_id else Q(pk__in=[])
        )
        if user_id:
            own |= Q(status=Comment.Status.PENDING, author_id=user_id)
        return self.filter(Q(status=Comment.Status.APPROVED) | own)

    def save_places(self, comments: Sequence[Comment]) -> None:
        """Store parent, root, depth and path of placed comments: one prepared UPDATE run for
        all rows (much faster than bulk_update's CASE expressions)."""
        if comments:
            _write(Comment, _SAVE_PLACE, [(c.parent_id, c.root_id, c.depth, c.path, c.pk)
                                          for c in comments], many=True)

    def count_reply(self, parent_id: int | None, delta: int) -> None:
        """Keep a parent's count of visible replies in step with a reply's visibility."""
        if parent_id:
            _write(Comment, _COUNT_REPLY, [delta, parent_id])


class Comment(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Pending")
        REJECTED = "rejected", _("Rejected")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="comments")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # Top-level ancestor (itself for a top-level comment): one index fetches a whole subthread.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveIntegerField(default=0)
    # Materialised path of zero-padded ids: ordering by it gives depth-first thread order.
    path = models.CharField(max_length=1024, db_index=True, blank=True)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField(max_length=80)
    author_email = models.EmailField(blank=True, help_text=_("Never shown."))
    reader_id = models.CharField(max_length=64, blank=True, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    # The sender's /24 (IPv4) or /48 (IPv6) network, hashed: ban-evasion hints and rate limits
    # look at networks, since a new address in the same network is one router restart away.
    network_hash = models.CharField(max_length=64, blank=True, db_index=True)

    body = models.TextField()
    body_html = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPROVED)
    is_deleted = models.BooleanField(default=False)

    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    controversy = models.FloatField(default=0)
    reply_count = models.PositiveIntegerField(default=0, help_text=_("Visible direct replies."))

    external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # One per sort of a thread page, with its tie-breakers, so that a page of a huge
            # thread is read from the index in order instead of sorted in memory.
            models.Index(fields=["article", "status", "depth", "created_at", "id"]),
            models.Index(fields=["article", "status", "depth", "score", "created_at", "id"]),
            models.Index(fields=["article", "status", "depth", "controversy", "created_at", "id"]),
            models.Index(fields=["root", "path"]),
            models.Index(fields=["site", "status", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "external_id"],
                condition=~Q(external_id=""),
                name="comment_unique_external_id",
            ),
            models.CheckConstraint(condition=Q(upvotes__gte=0), name="comment_upvotes_gte_0"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} by {self.author_name}"

    @staticmethod
    def path_segment(pk: int) -> str:
        return f"{pk:010d}"


class Vote(models.Model):
    """One vote per reader per comment; a reader is an account or an anonymous reader id."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)
    value = models.SmallIntegerField(choices=[(1, "up"), (-1, "down")])
    # Whether the vote is in the comment's counts. A reader without standing yet (a new token)
    # counts once per network and comment: a thousand fresh tokens from one place are one vote.
    counted = models.BooleanField(default=True)
    from_new_reader = models.BooleanField(default=False)
    network_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="vote_once"),
            models.CheckConstraint(condition=Q(value=1) | Q(value=-1), name="vote_value"),
            # Holds the once-per-network rule under concurrent votes too.
            models.UniqueConstraint(fields=["comment", "network_hash"],
                                    condition=Q(from_new_reader=True, counted=True),
                                    name="vote_new_reader_once_per_network"),
        ]


_ARTICLE_BY_URL = f"SELECT * FROM {Article._meta.db_table} WHERE site_id = %s AND url = %s"
_VERSION_AT_URL = f"SELECT id, version FROM {Article._meta.db_table} WHERE site_id = %s AND url = %s"
_COUNT_VISIBLE = f"SELECT comment_count FROM {Article._meta.db_table} WHERE id = %s"
_TOUCH_ARTICLE = (
    f"UPDATE {Article._meta.db_table} SET version = version + 1, last_comment_at = %s, "
    "comment_count = comment_count + %s, top_level_count = top_level_count + %s WHERE id = %s"
)
_SAVE_PLACE = (f"UPDATE {Comment._meta.db_table} SET parent_id = %s, root_id = %s, depth = %s, "
               "path = %s WHERE id = %s")
_COUNT_REPLY = f"UPDATE {Comment._meta.db_table} SET reply_count = reply_count + %s WHERE id = %s"


def controversy_of(up: int, down: int) -> float:
    """Reddit's measure: many votes, evenly split, rank highest."""
    if up <= 0 or down <= 0:
        return 0.0
    magnitude = up + down
    balance = down / up if up > down else up / down
    return float(magnitude**balance)



class IdempotentPost(models.Model):
    """The first answer to a `POST /api/v1/comments` with an `Idempotency-Key`, so that a retry
    (after a lost answer, a double click, a flaky network) gets it again instead of a second row."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    # A hash of the site, the sender (reader, account or address) and the key they chose.
    scope = models.CharField(max_length=64, unique=True)
    # Set in the transaction that stores the comment: a crash after it still knows the comment.
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status_code = models.PositiveSmallIntegerField(default=0, help_text="0 while the first request runs.")
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Idempotent post {self.scope[:12]}"
