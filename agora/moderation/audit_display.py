"""The audit log as people read it: each target by name with a link, and before/after as a
list of changed fields in words (not raw JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from agora.comments.models import Article, Comment
from agora.moderation.models import AuditEntry, Standing


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Target:
    kind: str
    name: str
    url: str = ""


def _shown(value: Any) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return Truncator(str(value)).chars(120)


def changes(entry: AuditEntry) -> list[Change]:
    """Only the fields whose value differs (or that exist on one side only)."""
    before, after = entry.before or {}, entry.after or {}
    return [Change(field.replace("_", " "), _shown(before.get(field)), _shown(after.get(field)))
            for field in dict.fromkeys([*before, *after]) if before.get(field) != after.get(field)]


def _standing_name(standing: Standing) -> tuple[str, str]:
    if standing.user_id:
        return standing.user.public_name(), reverse("moderation:author", args=["user", standing.user_id])
    if standing.reader_id:
        return _("Reader %(id)s") % {"id": standing.reader_id[:12]}, reverse(
            "moderation:author", args=["reader", standing.reader_id])
    if standing.email:
        return standing.email, reverse("moderation:author", args=["email", standing.email])
    return _("unknown author"), ""


def targets(entries: list[AuditEntry]) -> dict[int, Target]:
    """Names and links of every entry's target, in one query per kind of target."""
    ids: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_id.isdigit():
            ids.setdefault(entry.target_type, set()).add(int(entry.target_id))
    comments = {c.pk: c for c in Comment.objects.filter(pk__in=ids.get("comment", ()))}
    articles = {a.pk: a for a in Article.objects.filter(pk__in=ids.get("article", ()))}
    standings = {s.pk: s for s in
                 Standing.objects.filter(pk__in=ids.get("standing", ())).select_related("user")}
    found: dict[int, Target] = {}
    for entry in entries:
        key = int(entry.target_id) if entry.target_id.isdigit() else None
        if entry.target_type == "comment" and key in comments:
            comment = comments[key]
            found[entry.pk] = Target(_("comment"), _("%(author)s: “%(text)s”") % {
                "author": comment.author_name, "text": Truncator(comment.body).chars(60)},
                reverse("permalink", args=[comment.pk]) if comment.status == Comment.Status.APPROVED
                else reverse("moderation:article", args=[comment.article_id]))
        elif entry.target_type == "article" and key in articles:
            article = articles[key]
            found[entry.pk] = Target(_("article"), article.title or article.url,
                                     reverse("moderation:article", args=[article.pk]))
        elif entry.target_type == "standing" and key in standings:
            name, url = _standing_name(standings[key])
            found[entry.pk] = Target(_("author"), name, url)
        elif entry.target_type:
            found[entry.pk] = Target(entry.target_type, f"#{entry.target_id}")
    return found


def rows(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    named = targets(entries)
    return [{"entry": e, "target": named.get(e.pk), "changes": changes(e)} for e in entries]
