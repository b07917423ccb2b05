"""Writes a stream of records into the database: one transaction, batched inserts, moderation in
batch, thread structure (parent, root, depth, path) resolved even when a reply comes before its
parent, and counters recounted for every touched article at the end (building, placing and
recounting are the comments app's: `agora.comments.writing`). A row whose author moderation
refuses (banned, suspended) is skipped with that reason; the rest of the file imports.

Memory stays flat: only the current batch, the articles (one entry per thread) and the replies
whose parent has not been seen yet are held; everything else is looked up in the database.
"""

from __future__ import annotations

import sys
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from agora.accounts.models import User
from agora.comments import services, writing
from agora.comments.models import Article, Comment, Site
from agora.errors import InvalidInput
from agora.importers import portable
from agora.importers.models import ImportRun
from agora.importers.records import ArticleRecord, CommentRecord, Notice, Skip
from agora.moderation import pipeline

BATCH_SIZE = 500
ARTICLE_CACHE_SIZE = 256
STATUS_CHOICES = ("approved", "pending", "rejected", "site", "source")
_STRICTNESS = {"approved": 0, "pending": 1, "rejected": 2}

VerdictSink = Callable[[Comment, pipeline.Verdict], None]


@dataclass
class Summary:
    articles_created: int = 0
    articles_seen: int = 0
    comments_created: int = 0
    authors: int = 0
    statuses: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    notices: list[str] = field(default_factory=list)
    skipped_examples: dict[str, str] = field(default_factory=dict)

    def skip(self, reason: str, where: str = "") -> None:
        self.skipped[reason] += 1
        if where:
            self.skipped_examples.setdefault(reason, where)

    def as_dict(self) -> dict:
        return {
            "articles_created": self.articles_created,
            "articles_seen": self.articles_seen,
            "comments_created": self.comments_created,
            "authors": self.authors,
            "statuses": dict(self.statuses),
            "skipped": dict(self.skipped),
            "notices": self.notices,
        }

    def lines(self) -> list[str]:
        out = [
            f"articles: {self.articles_seen} in file, {self.articles_created} new",
            f"comments: {self.comments_created} imported "
            + ", ".join(f"{count} {status}" for status, count in sorted(self.statuses.items())),
            f"authors: {self.authors}",
        ]
        skipped = sum(self.skipped.values())
        out.append(f"skipped: {skipped}")
        for reason, count in self.skipped.most_common():
            example = self.skipped_examples.get(reason)
            out.append(f"  {count} x {reason}" + (f" (first at {example})" if example else ""))
        out.extend(f"note: {notice}" for notice in self.notices)
        return out


@dataclass
class ImportOptions:
    # approved|pending|rejected forces the status; "site": the stricter of the source's state and the
    # pipeline's verdict; "source": the source's state as it is (restoring an Agora export).
    status: str = "site"
    moderate: bool = True  # False when restoring an export: its decisions are restored with it
    site_created: bool = False  # the import may then set the site's settings from the file
    base_url: str = ""  # prefix for sources that store relative paths (isso, some Disqus threads)
    progress: bool = True
    verdict_sink: VerdictSink | None = None
    # History keeps its place: the rules about posting now (closed thread, pre-moderation, trust
    # ramp...) do not apply. An audit asks what Agora would do to the comments as if posted today.
    as_history: bool = True


@dataclass
class _Resolved:
    pk: int
    path: str
    depth: int
    root_id: int
    article_id: int


class Loader:
    def __init__(self, site: Site, options: ImportOptions):
        self.site = site
        self.options = options
        self.summary = Summary()
        # Source thread key -> article id (an int per thread, not a model instance: exports can
        # hold hundreds of thousands of threads); a few instances are kept for the pipeline.
        self.articles: dict[str, int] = {}
        self.recent_articles: OrderedDict[int, Article] = OrderedDict()
        self.batch: list[CommentRecord] = []
        self.batch_ids: set[str] = set()
        # Replies whose parent is not in the database yet: child external id -> parent external id.
        self.deferred: dict[str, str] = {}
        self.touched: set[int] = set()
        self.created_range: list[int] = []
        self.users: dict[str, int | None] = {}

    # -- records ---------------------------------------------------------------------------
    def take(self, record: ArticleRecord | CommentRecord | Skip | Notice) -> None:
        if isinstance(record, CommentRecord):
            self._take_comment(record)
        elif isinstance(record, ArticleRecord):
            self._take_article(record)
        elif isinstance(record, Skip):
            self.summary.skip(record.reason, record.where)
        elif isinstance(record, Notice):
            self.summary.notices.append(record.message)
        elif record is not None:
            record.apply(self)  # format-specific records (site settings, votes... of an export)

    def _take_article(self, record: ArticleRecord) -> None:
        self.summary.articles_seen += 1
        url = self._absolute(record.url)
        try:
            canonical = services.canonical_url(url)
        except InvalidInput:
            canonical = ""
        if not canonical or len(canonical) > Article._meta.get_field("url").max_length:
            self.summary.skip("thread without a usable URL (its comments are skipped)", record.key)
            return
        article, created = Article.objects.get_or_create(
            site=self.site, url=canonical,
            defaults={"title": record.title[:500], "published_at": record.published_at,
                      "is_closed": record.is_closed},
        )
        self.summary.articles_created += created
        if created and record.extra:
            Article.objects.filter(pk=article.pk).update(**record.extra)
        self.articles[record.key] = article.pk

    def _absolute(self, url: str) -> str:
        url = (url or "").strip()
        if url.startswith(("http://", "https://")) or not url:
            return url
        base = self.options.base_url or next(iter(self.site.allowed_origins), "")
        if url.startswith("//"):
            return "https:" + url
        return base.rstrip("/") + "/" + url.lstrip("/") if base else url

    def _take_comment(self, record: CommentRecord) -> None:
        if record.created_at is None:
            self.summary.skip("comment without a date", record.external_id)
            return
        if record.article_key not in self.articles:
            self.summary.skip("comment of an unknown or skipped thread", record.external_id)
            return
        if record.external_id in self.batch_ids:
            self.summary.skip("duplicate id in the file", record.external_id)
            return
        self.batch.append(record)
        self.batch_ids.add(record.external_id)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    # -- batches ---------------------------------------------------------------------------
    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch, self.batch_ids = self.batch, [], set()
        existing = self._existing([r.external_id for r in batch])
        fresh = [r for r in batch if r.external_id not in existing]
        for record in batch:
            if record.external_id in existing:
                self.summary.skip("already imported", record.external_id)
        if not fresh:
            return
        verdicts = self._moderate(fresh)
        fresh, verdicts = self._without_refused(fresh, verdicts)
        if not fresh:
            return
        comments = [self._build(record, verdict) for record, verdict in zip(fresh, verdicts, strict=True)]
        Comment.objects.bulk_create(comments, batch_size=BATCH_SIZE)
        self._note_created(comments)
        self._place(fresh, comments)  # before recording, so the pipeline sees the thread position
        for comment, verdict in zip(comments, verdicts, strict=True):
            if self.options.moderate:
                pipeline.record(comment, verdict)
            if self.options.verdict_sink:
                self.options.verdict_sink(comment, verdict)
            self.summary.statuses[comment.status] += 1
            self.touched.add(comment.article_id)
        self.summary.comments_created += len(comments)

    def _moderate(self, records: list[CommentRecord]) -> list[pipeline.Verdict | pipeline.Refusal]:
        """Verdicts in input order, or the refusal of an author who may not post (banned,
        suspended). Comments without text (deleted or empty) have nothing to moderate and
        keep their source state."""
        nothing = pipeline.Verdict(pipeline.APPROVED)
        if not self.options.moderate:
            return [nothing] * len(records)
        return [self._verdict(r) if not r.is_deleted and r.body.strip() else nothing
                for r in records]

    def _verdict(self, record: CommentRecord) -> pipeline.Verdict | pipeline.Refusal:
        submission = pipeline.Submission(
            site=self.site, article=self._article(record.article_key), body=record.body,
            author_name=record.author_name, author_email=_clean_email(record.author_email),
            imported=self.options.as_history)
        try:
            return pipeline.moderate(submission)
        except pipeline.Refusal as refusal:
            return refusal

    def _without_refused(self, records: list[CommentRecord], verdicts: list) -> tuple[list, list]:
        """Refused rows are skipped with the refusal's reason; the rest of the file imports."""
        kept: tuple[list, list] = ([], [])
        for record, verdict in zip(records, verdicts, strict=True):
            if isinstance(verdict, pipeline.Refusal):
                self.summary.skip(f"refused by moderation ({verdict.code}): {verdict.message}",
                                  record.external_id)
            else:
                kept[0].append(record)
                kept[1].append(verdict)
        return kept

    def _article(self, key: str) -> Article:
        pk = self.articles[key]
        article = self.recent_articles.pop(pk, None) or Article.objects.get(pk=pk)
        self.recent_articles[pk] = article
        if len(self.recent_articles) > ARTICLE_CACHE_SIZE:
            self.recent_articles.popitem(last=False)
        return article

    def _status(self, record: CommentRecord, verdict: pipeline.Verdict) -> str:
        if self.options.status in _STRICTNESS:
            return self.options.status
        if self.options.status == "source":
            return record.source_status
        candidates = (record.source_status, verdict.status)
        return max(candidates, key=lambda status: _STRICTNESS.get(status, 1))

    def _build(self, record: CommentRecord, verdict: pipeline.Verdict) -> Comment:
        body = "" if record.is_deleted else record.body.replace("\r\n", "\n").replace("\x00", "")
        extra = dict(record.extra)
        return writing.build(
            self.site, body, article_id=self.articles[record.article_key], depth=0, path="",
            author_id=self._user_id(record.author_username),
            author_name=(" ".join(record.author_name.split()) or "Anonymous")[:80],
            author_email=_clean_email(record.author_email),
            status=self._status(record, verdict), is_deleted=record.is_deleted,
            upvotes=max(record.upvotes, 0), downvotes=max(record.downvotes, 0),
            score=extra.pop("score", record.upvotes - record.downvotes),
            external_id=record.external_id[:255], created_at=record.created_at,
            edited_at=record.edited_at, **extra,
        )

    def _user_id(self, username: str) -> int | None:
        if not username:
            return None
        if username not in self.users:
            self.users[username] = User.objects.filter(username=username).values_list("pk", flat=True).first()
        return self.users[username]

    def _note_created(self, comments: list[Comment]) -> None:
        pks = [c.pk for c in comments]
        self.created_range = [min([*pks, *self.created_range[:1]]), max([*pks, *self.created_range[1:]])]

    # -- thread structure ------------------------------------------------------------------
    def _place(self, records: list[CommentRecord], comments: list[Comment]) -> None:
        """Set parent/root/depth/path for the batch; replies to unseen parents wait."""
        known = self.lookup({r.parent_external_id for r in records if r.parent_external_id})
        placed: list[Comment] = []
        for record, comment in zip(records, comments, strict=True):
            parent = known.get(record.parent_external_id) if record.parent_external_id else None
            if record.parent_external_id and parent is None:
                self.deferred[record.external_id] = record.parent_external_id
                continue
            self._attach(comment, parent)
            placed.append(comment)
            known[record.external_id] = _Resolved(comment.pk, comment.path, comment.depth,
                                                  comment.root_id, comment.article_id)
        Comment.objects.save_places(placed)

    def _attach(self, comment: Comment, parent: _Resolved | None) -> None:
        if parent is not None and parent.article_id != comment.article_id:
            self.summary.skip("reply to a comment of another thread: kept as a top-level comment",
                              comment.external_id)
            parent = None
        writing.place(comment, parent)

    def lookup(self, external_ids: set[str]) -> dict[str, _Resolved]:
        """Placed comments (path set) of this site by key: external id, or for comments born in
        this Agora instance the `agora:<instance>:<id>` key its exports give them."""
        columns = ("external_id", "pk", "path", "depth", "root_id", "article_id")
        return {
            external_id or portable.comment_key(pk, ""): _Resolved(pk, *rest)
            for external_id, pk, *rest in self._by_key(list(external_ids), columns, placed=True)
        }

    def _existing(self, keys: list[str]) -> set[str]:
        return {external_id or portable.comment_key(pk, "")
                for external_id, pk in self._by_key(keys, ("external_id", "pk"))}

    def _by_key(self, keys: list[str], columns: tuple[str, ...], placed: bool = False):
        """Rows of this site's comments named by `keys`, in chunks. External ids and native ids
        are queried apart: `NOT external_id = ''` lets the database use the partial unique index
        on (site, external_id), which an OR would defeat (a full scan per batch)."""
        comments = Comment.objects.filter(site=self.site)
        if placed:
            comments = comments.exclude(path="")
        for start in range(0, len(keys), BATCH_SIZE):
            chunk = keys[start:start + BATCH_SIZE]
            yield from comments.filter(external_id__in=chunk).exclude(external_id="").values_list(*columns)
            native = portable.native_ids(chunk)
            if native:
                yield from comments.filter(pk__in=native, external_id="").values_list(*columns)

    def resolve_deferred(self) -> None:
        """Second pass: place replies that came before their parents, generation by generation;
        replies whose parent never appeared become top-level comments."""
        while self.deferred:
            known = self.lookup(set(self.deferred.values()))
            ready = {child: known[parent] for child, parent in self.deferred.items() if parent in known}
            if not ready:
                orphans = [c for c, p in self.deferred.items() if p not in self.deferred] or \
                    [next(iter(self.deferred))]  # a cycle: break it at one point
                for child in orphans:
                    self.summary.skip("parent not in the file: kept as a top-level comment", child)
                ready = dict.fromkeys(orphans)
            self._place_ready(ready)
            for child in ready:
                del self.deferred[child]

    def _place_ready(self, ready: dict[str, _Resolved | None]) -> None:
        children = list(ready)
        for start in range(0, len(children), BATCH_SIZE):
            keys = children[start:start + BATCH_SIZE]
            chunk = list(Comment.objects.filter(site=self.site, external_id__in=keys).exclude(external_id=""))
            for comment in chunk:
                self._attach(comment, ready[comment.external_id])
            Comment.objects.save_places(chunk)

    def count_authors(self) -> None:
        if not self.created_range:
            return
        low, high = self.created_range
        self.summary.authors = (
            Comment.objects.filter(site=self.site, pk__gte=low, pk__lte=high).exclude(external_id="")
            .values("author_name", "author_email").distinct().count()
        )


def _clean_email(value: str) -> str:
    value = (value or "").strip()
    return value[:254] if "@" in value and " " not in value else ""


def run_import(site: Site, records: Iterable, options: ImportOptions, *, format_name: str = "",
               source: str = "", finishers: tuple[Callable[[Loader], None], ...] = ()) -> Summary:
    """Import everything or nothing: any error rolls the whole transaction back."""
    started = timezone.now()
    loader = Loader(site, options)
    with transaction.atomic():
        bar = tqdm(records, unit=" records", disable=not options.progress, file=sys.stderr,
                   desc=f"import {format_name}".strip(), mininterval=0.5)
        for record in bar:
            loader.take(record)
            if isinstance(record, CommentRecord) and not loader.batch:
                bar.set_postfix(comments=loader.summary.comments_created,
                                articles=loader.summary.articles_seen, refresh=False)
        bar.close()
        loader.flush()
        for finish in finishers:
            finish(loader)
        loader.resolve_deferred()
        writing.recount(loader.touched)
        loader.count_authors()
        ImportRun.objects.create(site=site, format=format_name, source=source[:500], started_at=started,
                                 finished_at=timezone.now(), summary=loader.summary.as_dict())
    return loader.summary

