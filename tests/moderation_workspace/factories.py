"""Building the comments a moderator works on, the way the product stores them: a comment row with
its path, and the pipeline's decision (reasons with spans, model scores) beside it."""

from __future__ import annotations

from itertools import count

from django.utils import timezone

from agora import identity
from agora.comments import services
from agora.comments.models import Article, Comment, Site
from agora.moderation.models import Decision

PASSWORD = "moderation workspace 2026"
_numbers = count(1)


def article(site: Site, slug: str = "harbour-bridge", title: str = "Harbour bridge vote") -> Article:
    return Article.objects.get_or_create(site=site, url=f"https://news.example/{slug}",
                                         defaults={"title": title})[0]


def comment(on: Article, body: str = "A plain comment.", *, status: str = "pending",
            parent: Comment | None = None, reasons: list[dict] | None = None,
            scores: dict[str, float] | None = None, author=None, author_name: str = "",
            reader_id: str = "", author_email: str = "", ip: str = "") -> Comment:
    """A stored comment with the automatic decision that gave it `status`; counts kept right."""
    number = next(_numbers)
    row = Comment.objects.create(
        site=on.site, article=on, parent=parent, depth=parent.depth + 1 if parent else 0,
        author=author, author_name=author_name or f"Reader {number}", author_email=author_email,
        reader_id=reader_id or (f"reader-{number}" if author is None else ""),
        ip_hash=identity.hash_ip(ip), network_hash=identity.hash_network(ip),
        body=body, body_html=f"<p>{body}</p>", status=Comment.Status.PENDING, created_at=timezone.now(),
    )
    row.path = (f"{parent.path}." if parent else "") + Comment.path_segment(row.pk)
    row.root_id = parent.root_id if parent else row.pk
    row.save(update_fields=["path", "root"])
    Decision.objects.create(comment=row, status=status, source=Decision.Source.PIPELINE,
                            reasons=reasons or [], scores=scores or {})
    if status != Comment.Status.PENDING:
        services.set_status(row, status)
    return row


def toxic_reasons(body: str, word: str, rule: str = "banned_word") -> list[dict]:
    start = body.index(word)
    return [{"phase": "wordlist", "rule": rule, "message": f"Banned words: {word}.",
             "spans": [[start, start + len(word), word]], "scores": {}}]
