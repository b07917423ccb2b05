"""Agora's own export (JSON lines or JSON), read back losslessly: site settings (when the site is
created by this import), users, articles, comments with their tree, votes and every related row
(moderation decisions, flags, audit log...) with their references rewritten to the new ids."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core import serializers
from django.db import IntegrityError, models, transaction

from agora.accounts.models import User
from agora.comments.models import Article, Vote
from agora.importers import portable
from agora.importers.formats.jsonstream import items, lines
from agora.importers.formats.source import open_binary
from agora.importers.records import ArticleRecord, CommentRecord, ImportFormatError
from agora.importers.text import parse_datetime

BATCH = 500
_COMMENT_EXTRA = ("reader_id", "ip_hash", "network_hash", "score", "controversy")


def read(path: str, **_options) -> Iterator:
    with open_binary(path) as stream:
        is_json = stream.read(1) == b"{" and b'"records"' in stream.read(200)
    with open_binary(path) as stream:
        numbered = items(stream, "records.item", "record") if is_json else lines(stream, "record")
        for number, record in numbered:
            yield _record(number, record)


def _record(number: int, record: dict):
    kind = record.get("type")
    fields = record.get("fields") or {}
    where = f"record {number}"
    if kind == "header":
        if record.get("format") != "agora":
            raise ImportFormatError(f"{where}: not an Agora export")
        return None
    if kind == "site":
        return SiteRecord(fields)
    if kind == "user":
        return UserRecord(fields)
    if kind == "article":
        return ArticleRecord(
            key=fields["url"], url=fields["url"], title=fields.get("title") or "",
            published_at=parse_datetime(fields.get("published_at"), where),
            is_closed=bool(fields.get("is_closed")),
            extra={"premoderate": bool(fields.get("premoderate")),
                   "slow_mode_seconds": int(fields.get("slow_mode_seconds") or 0),
                   "created_at": parse_datetime(fields.get("created_at"), where)},
        )
    if kind == "comment":
        return _comment(where, record, fields)
    if kind == "vote":
        return VoteRecord(record["comment"], fields)
    if kind == "related":
        return RelatedRecord(record["model"], record["pk"], fields)
    raise ImportFormatError(f"{where}: unknown record type {kind!r}")


def _comment(where: str, record: dict, fields: dict) -> CommentRecord:
    try:
        return CommentRecord(
            external_id=record["key"], article_key=record["article"], parent_external_id=record["parent"],
            body=fields["body"], author_name=fields["author_name"], author_email=fields["author_email"],
            author_username=record.get("author") or "",
            created_at=parse_datetime(fields["created_at"], where),
            edited_at=parse_datetime(fields.get("edited_at"), where),
            source_status=fields["status"], is_deleted=fields["is_deleted"],
            upvotes=fields["upvotes"], downvotes=fields["downvotes"],
            extra={name: fields[name] for name in _COMMENT_EXTRA if name in fields},
        )
    except KeyError as error:
        raise ImportFormatError(f"{where}: comment without {error}") from None


@dataclass
class SiteRecord:
    fields: dict

    def apply(self, loader) -> None:
        if not loader.options.site_created:
            loader.summary.skip("site settings (kept the existing site's settings)")
            return
        site = loader.site
        for name, value in self.fields.items():
            if name == "api_key" and type(site).objects.filter(api_key=value).exclude(pk=site.pk).exists():
                continue
            if name == "created_at":
                value = parse_datetime(value, "site")
            setattr(site, name, value)
        site.save()


@dataclass
class UserRecord:
    fields: dict

    def apply(self, loader) -> None:
        fields = dict(self.fields)
        fields["date_joined"] = parse_datetime(fields.get("date_joined"), "user")
        username = fields.pop("username")
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        loader.users[username] = user.pk


class _Restorer:
    """Votes and related rows wait for their comments, then go in by batch."""

    def __init__(self, loader):
        self.loader = loader
        self.votes: list[VoteRecord] = []
        self.new_ids: dict[tuple[str, int], int] = {}
        self.articles: dict[str, int] = {}

    @classmethod
    def of(cls, loader) -> _Restorer:
        if not hasattr(loader, "restorer"):
            loader.restorer = cls(loader)
        return loader.restorer

    def comment_ids(self, keys: set[str]) -> dict[str, int]:
        self.loader.flush()
        return {key: found.pk for key, found in self.loader.lookup(keys).items()}

    def created_here(self, pk: int) -> bool:
        low_high = self.loader.created_range
        return bool(low_high) and low_high[0] <= pk <= low_high[1]

    def flush_votes(self) -> None:
        votes, self.votes = self.votes, []
        ids = self.comment_ids({vote.comment for vote in votes})
        rows = [Vote(comment_id=ids[v.comment], voter=v.fields["voter"], value=v.fields["value"])
                for v in votes if v.comment in ids and self.created_here(ids[v.comment])]
        Vote.objects.bulk_create(rows, ignore_conflicts=True)
        times = {(v.comment, v.fields["voter"]): v.fields["created_at"] for v in votes}
        # created_at is auto_now_add: restore the original times afterwards.
        for vote in Vote.objects.filter(comment_id__in=[r.comment_id for r in rows]) \
                .values("pk", "comment__external_id", "voter"):
            when = times.get((vote["comment__external_id"], vote["voter"]))
            if when:
                Vote.objects.filter(pk=vote["pk"]).update(created_at=parse_datetime(when, "vote"))

    def article_id(self, url: str) -> int | None:
        if url not in self.articles:
            self.articles[url] = Article.objects.filter(site=self.loader.site, url=url) \
                .values_list("pk", flat=True).first()
        return self.articles[url]

    def user_id(self, username: str) -> int | None:
        return self.loader._user_id(username)


@dataclass
class VoteRecord:
    comment: str
    fields: dict

    def apply(self, loader) -> None:
        restorer = _Restorer.of(loader)
        restorer.votes.append(self)
        if len(restorer.votes) >= BATCH:
            restorer.flush_votes()


@dataclass
class RelatedRecord:
    model: str
    pk: int
    fields: dict

    def apply(self, loader) -> None:
        restorer = _Restorer.of(loader)
        if restorer.votes:
            restorer.flush_votes()
        try:
            model = apps.get_model(self.model)
        except LookupError:
            loader.summary.skip(f"rows of an unknown model ({self.model})")
            return
        mapped = self._mapped(model, restorer)
        if mapped is None:
            return
        new_comment = mapped.pop("__new_comment__", False)
        row = next(serializers.deserialize("python", [{"model": self.model, "fields": mapped}])).object
        lookup = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields
                  if not f.primary_key and not isinstance(f, models.JSONField | models.TextField)}
        if not new_comment and model.objects.filter(**lookup).exists():
            loader.summary.skip(f"{self.model} already present")
            return
        times = _automatic_times(model, row)
        try:
            with transaction.atomic():
                # raw, as Django's loaddata does: receivers see a restored row, not a new event
                # (a restored decision must not write a second statement of reasons).
                row.save_base(raw=True, force_insert=True)
        except IntegrityError:
            loader.summary.skip(f"{self.model} already present")
            return
        restorer.new_ids[(self.model, self.pk)] = row.pk
        if times:  # save() overwrote auto_now / auto_now_add fields: put the exported times back
            model.objects.filter(pk=row.pk).update(**times)


    def _mapped(self, model, restorer: _Restorer) -> dict | None:
        mapped: dict = {}
        new_comment = False
        for field in model._meta.concrete_fields:
            if field.name not in self.fields:
                continue
            value = self.fields[field.name]
            if isinstance(field, models.ForeignKey) and value is not None:
                value, new = self._reference(field, value, restorer)
                new_comment |= new
                if value is None and not field.null:
                    restorer.loader.summary.skip(f"{self.model} whose {field.name} is not in the import")
                    return None
                if value is False:  # belongs to a comment that was already there
                    restorer.loader.summary.skip("already imported")
                    return None
            mapped[field.name] = value
        if new_comment:
            mapped["__new_comment__"] = True
        return mapped

    def _reference(self, field, value, restorer: _Restorer):
        kind = portable.reference_kind(field)
        if kind == "site":
            return restorer.loader.site.pk, False
        if kind == "article":
            return restorer.article_id(value), False
        if kind == "user":
            return restorer.user_id(value), False
        if kind == "comment":
            pk = restorer.comment_ids({value}).get(value)
            if pk is None:
                return None, False
            return (pk, True) if restorer.created_here(pk) else (False, False)
        if kind == "row":
            return restorer.new_ids.get((value["model"], value["pk"])), False
        return value, False


def finish(loader) -> None:
    """Called by the loader after the last record."""
    if hasattr(loader, "restorer") and loader.restorer.votes:
        loader.restorer.flush_votes()


def _automatic_times(model, row) -> dict:
    return {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields
            if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
            and getattr(row, f.attname) is not None}
