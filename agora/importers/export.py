"""`agora export`: everything of one site as JSON or JSON lines, in an order that can be read back
in one streaming pass (users, site, articles, comments parents first, votes, related rows)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import orjson
from django.core import serializers
from django.db import models

from agora.accounts.models import User
from agora.comments.models import Article, Comment, Site, Vote
from agora.importers import portable

FORMAT_VERSION = 1
CHUNK = 500
SITE_FIELDS = ("name", "allowed_origins", "auto_register_articles", "edit_window_seconds",
               "max_comment_length", "max_depth", "created_at")
ARTICLE_FIELDS = ("url", "title", "published_at", "is_closed", "premoderate", "slow_mode_seconds",
                  "created_at")
COMMENT_FIELDS = ("author_name", "author_email", "reader_id", "ip_hash", "network_hash", "body", "body_html",
                  "status",
                  "is_deleted", "upvotes", "downvotes", "score", "controversy", "created_at", "edited_at")
USER_FIELDS = ("username", "email", "first_name", "last_name", "display_name", "date_joined")


def records(site: Site) -> Iterator[dict]:
    """Every record of the export, each a JSON-ready dict with a "type"."""
    yield {"type": "header", "format": "agora", "version": FORMAT_VERSION, "site": site.slug}
    yield {"type": "site", "fields": _fields(site, SITE_FIELDS) | {"api_key": site.api_key}}
    yield from _users(site)
    for article in Article.objects.filter(site=site).order_by("pk").values(*ARTICLE_FIELDS):
        yield {"type": "article", "fields": article}
    yield from _comments(site)
    yield from _votes(site)
    for model in portable.related_models():
        yield from _related(model, site)


def _fields(instance: models.Model, names: tuple[str, ...]) -> dict:
    return {name: getattr(instance, name) for name in names}


def _user_ids(site: Site) -> set[int]:
    ids = set(Comment.objects.filter(site=site, author__isnull=False).values_list("author_id", flat=True))
    for model in portable.related_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                ids |= set(portable.rows_of(model, site).filter(**{f"{field.name}__isnull": False})
                           .values_list(field.attname, flat=True))
    return ids


def _users(site: Site) -> Iterator[dict]:
    for user in User.objects.filter(pk__in=_user_ids(site)).order_by("pk").values(*USER_FIELDS):
        yield {"type": "user", "fields": user}


def _comments(site: Site) -> Iterator[dict]:
    rows = (Comment.objects.filter(site=site).order_by("article_id", "path", "pk")
            .values("pk", "external_id", "parent_id", "parent__external_id", "article__url",
                    "author__username", *COMMENT_FIELDS))
    for row in rows.iterator(chunk_size=CHUNK):
        parent = portable.comment_key(row.pop("parent_id"), row.pop("parent__external_id")) \
            if row["parent_id"] else ""
        yield {
            "type": "comment", "key": portable.comment_key(row.pop("pk"), row.pop("external_id")),
            "parent": parent, "article": row.pop("article__url"), "author": row.pop("author__username"),
            "fields": row,
        }


def _votes(site: Site) -> Iterator[dict]:
    rows = (Vote.objects.filter(comment__site=site).order_by("pk")
            .values("comment_id", "comment__external_id", "voter", "value", "created_at"))
    for row in rows.iterator(chunk_size=CHUNK):
        yield {"type": "vote", "comment": portable.comment_key(row.pop("comment_id"),
                                                                row.pop("comment__external_id")),
               "fields": row}


def _related(model, site: Site) -> Iterator[dict]:
    fields = {f.name: f for f in model._meta.concrete_fields}
    queryset = portable.rows_of(model, site)
    chunk: list = []
    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _related_chunk(model, fields, chunk)
            chunk = []
    yield from _related_chunk(model, fields, chunk)


def _related_chunk(model, fields: dict, rows: list) -> Iterator[dict]:
    if not rows:
        return
    lookups = _lookups(fields, rows)
    for item in serializers.serialize("python", rows):
        portable_fields = {}
        for name, value in item["fields"].items():
            field = fields.get(name)
            if isinstance(field, models.ForeignKey) and value is not None:
                value = _portable_reference(field, value, lookups)
            portable_fields[name] = value
        yield {"type": "related", "model": model._meta.label_lower, "pk": item["pk"],
               "fields": portable_fields}


def _lookups(fields: dict, rows: list) -> dict[str, dict]:
    """Keys of the comments, URLs of the articles and usernames the chunk refers to."""
    wanted: dict[str, set] = {"comment": set(), "article": set(), "user": set()}
    for field in fields.values():
        kind = portable.reference_kind(field) if isinstance(field, models.ForeignKey) else ""
        if kind in wanted:
            wanted[kind] |= {getattr(row, field.attname) for row in rows} - {None}
    return {
        "comment": {pk: portable.comment_key(pk, external) for pk, external in
                    Comment.objects.filter(pk__in=wanted["comment"]).values_list("pk", "external_id")},
        "article": dict(Article.objects.filter(pk__in=wanted["article"]).values_list("pk", "url")),
        "user": dict(User.objects.filter(pk__in=wanted["user"]).values_list("pk", "username")),
    }


def _portable_reference(field: models.ForeignKey, value, lookups: dict):
    kind = portable.reference_kind(field)
    if kind == "site":
        return "site"
    if kind in lookups:
        return lookups[kind].get(value)
    if kind == "row":
        return {"model": field.related_model._meta.label_lower, "pk": value}
    return value


def _dumps(record: dict) -> bytes:
    return orjson.dumps(record, default=str, option=orjson.OPT_NON_STR_KEYS)


def write(site: Site, stream: IO[bytes], fmt: str = "jsonl") -> int:
    """Write the export; returns the number of records."""
    count = 0
    if fmt == "jsonl":
        for record in records(site):
            stream.write(_dumps(record) + b"\n")
            count += 1
        return count
    # JSON: one object whose "records" array holds the same records, written one by one.
    stream.write(b'{"format":"agora","version":%d,"records":[\n' % FORMAT_VERSION)
    for number, record in enumerate(records(site), start=1):
        stream.write((b",\n" if number > 1 else b"") + _dumps(record))
        count = number
    stream.write(b"\n]}\n")
    return count
