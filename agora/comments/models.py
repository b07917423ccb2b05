from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q


def _new_api_key() -> str:
    return secrets.token_urlsafe(24)


class Site(models.Model):
    """A news domain that embeds Agora: its origins, its publisher key and its settings."""

    slug = models.SlugField(unique=True, help_text="The value of data-site in the embed tag.")
    name = models.CharField(max_length=200)
    allowed_origins = models.JSONField(
        default=list,
        blank=True,
        help_text='Origins allowed to embed the widget, e.g. ["https://news.example"].',
    )
    api_key = models.CharField(max_length=64, unique=True, default=_new_api_key)
    auto_register_articles = models.BooleanField(
        default=True, help_text="Create an article on the first comment from an allowed origin."
    )
    edit_window_seconds = models.PositiveIntegerField(default=15 * 60)
    max_comment_length = models.PositiveIntegerField(default=10_000)
    max_depth = models.PositiveIntegerField(
        default=50, help_text="Deepest reply level stored; the widget indents at most 6."
    )
    created_at = models.DateTimeField(auto_now_add=True)

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


class Article(models.Model):
    """A page that carries a discussion, keyed by its canonical URL within a site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="articles")
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    is_closed = models.BooleanField(default=False, help_text="No new comments.")
    premoderate = models.BooleanField(default=False, help_text="Hold every new comment.")
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

    class Meta:
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


class Comment(models.Model):
    class Status(models.TextChoices):
        APPROVED = "approved"
        PENDING = "pending"
        REJECTED = "rejected"

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
    author_email = models.EmailField(blank=True, help_text="Never shown.")
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
    reply_count = models.PositiveIntegerField(default=0, help_text="Visible direct replies.")

    external_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter"], name="vote_once"),
            models.CheckConstraint(condition=Q(value=1) | Q(value=-1), name="vote_value"),
        ]


def controversy_of(up: int, down: int) -> float:
    """Reddit's measure: many votes, evenly split, rank highest."""
    if up <= 0 or down <= 0:
        return 0.0
    magnitude = up + down
    balance = down / up if up > down else up / down
    return float(magnitude**balance)

