"""The author panel: who an author is (an account, an anonymous reader, or only an e-mail), all
their comments on the moderator's sites, their record, their standing per site, and hints of ban
evasion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from agora.accounts.models import User
from agora.comments.models import Comment, Site
from agora.errors import InvalidInput
from agora.moderation import actions, evasion, params
from agora.moderation.models import Standing
from agora.moderation.permissions import moderated_site_ids

KINDS = ("user", "reader", "email")
COMMENTS_SHOWN = 200
CANDIDATES_SCANNED = 5000
MAX_NETWORKS_BANNED = 20


@dataclass(frozen=True)
class Identity:
    kind: str
    key: str
    user: User | None = None

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.public_name()
        return self.key if self.kind == "email" else _("Reader %(id)s") % {"id": self.key[:12]}

    def comments_q(self) -> Q:
        if self.kind == "user":
            return Q(author_id=self.user.pk)
        if self.kind == "reader":
            return Q(reader_id=self.key)
        return Q(author_email__iexact=self.key, author__isnull=True)

    def standings_q(self) -> Q:
        if self.kind == "user":
            return Q(user=self.user)
        if self.kind == "reader":
            return Q(user__isnull=True, reader_id=self.key)
        return Q(user__isnull=True, reader_id="", email__iexact=self.key)


def identity(kind: str, key: str) -> Identity:
    if kind not in KINDS or not key:
        raise Http404(_("No such author."))
    if kind == "user":
        user = User.objects.filter(pk=int(key)).first() if params.is_object_id(key) else None
        if user is None:
            raise Http404(_("No such author."))
        return Identity(kind, key, user)
    return Identity(kind, key)


def standing(who: Identity, site: Site) -> Standing:
    return actions.standing_for(site, user=who.user, reader_id=who.key if who.kind == "reader" else "",
                                email=who.key if who.kind == "email" else "")


BAN_COVERS = ("network", "linked")


def act(standing: Standing, moderator: User, action: str, *, reason: str = "", hours: int = 0,
        who: Identity | None = None, cover: Iterable[str] = ()) -> Any:
    """One action of the author panel. A ban may `cover` the author's networks and the authors
    the evasion hints link to them (same mailbox, same network)."""
    handlers = {
        "ban": lambda: _ban(standing, moderator, reason, who, set(cover)),
        "remove_comments": lambda: actions.remove_comments(standing, moderator, reason),
        "unban": lambda: actions.unban(standing, moderator, reason),
        "suspend": lambda: actions.suspend(standing, moderator, hours, reason),
        "unsuspend": lambda: actions.end_suspension(standing, moderator, reason),
        "premoderate": lambda: actions.set_premoderation(standing, moderator, True, reason),
        "premoderate_off": lambda: actions.set_premoderation(standing, moderator, False, reason),
        "trust": lambda: actions.set_trusted(standing, moderator, True, reason),
        "untrust": lambda: actions.set_trusted(standing, moderator, False, reason),
    }
    if action not in handlers:
        raise InvalidInput(_("Author actions are: %(actions)s.") % {"actions": ", ".join(handlers)},
                           field="action")
    return handlers[action]()


def _ban(target: Standing, moderator: User, reason: str, who: Identity | None, cover: set[str]) -> Standing:
    unknown = cover - set(BAN_COVERS)
    if unknown:
        raise InvalidInput(f"A ban may cover: {', '.join(BAN_COVERS)}.", field="cover")
    authored = Comment.objects.filter(actions.authored_by(target), site=target.site)
    networks = (list(authored.exclude(network_hash="").values_list("network_hash", flat=True)
                     .distinct()[:MAX_NETWORKS_BANNED]) if "network" in cover else [])
    banned = actions.ban(target, moderator, reason, networks=networks)
    if "linked" in cover and who is not None:
        for kind, key in _linked(who, authored, target.site_id):
            other = standing(identity(kind, key), target.site)
            if not other.banned:
                actions.ban(other, moderator, reason)
    return banned


def _linked(who: Identity, authored: QuerySet[Comment], site_id: int) -> list[tuple[str, str]]:
    """The authors the evasion hints link to `who` on one site."""
    site_ids = frozenset({site_id})
    emails = sorted(set(authored.exclude(author_email="").values_list("author_email", flat=True)[:50]))
    if who.user is not None and who.user.email:
        emails.append(who.user.email)
    hints = [*_aliases(who, emails, site_ids), *_same_address(who, authored, site_ids)]
    return list(dict.fromkeys((hint["kind"], hint["key"]) for hint in hints if hint["key"]))


@dataclass
class SiteRecord:
    site: Site
    standing: Standing | None
    approved: int = 0
    pending: int = 0
    rejected: int = 0


@dataclass
class Panel:
    who: Identity
    comments: list[Comment]
    total: int
    records: list[SiteRecord]
    emails: list[tuple[str, evasion.EmailHints | None]]
    aliases: list[dict[str, Any]] = field(default_factory=list)
    same_address: list[dict[str, Any]] = field(default_factory=list)


def panel(moderator: User, kind: str, key: str) -> Panel:
    who = identity(kind, key)
    site_ids = moderated_site_ids(moderator)
    comments = Comment.objects.filter(who.comments_q(), site_id__in=site_ids)
    per_site = {row["site_id"]: row for row in comments.order_by().values("site_id").annotate(
        approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
        pending=Count("pk", filter=Q(status=Comment.Status.PENDING)),
        rejected=Count("pk", filter=Q(status=Comment.Status.REJECTED)),
    )}
    standings = {s.site_id: s for s in Standing.objects.filter(who.standings_q(), site_id__in=site_ids)}
    if not per_site and not standings:
        raise Http404(_("No such author on your sites."))
    sites = Site.objects.filter(pk__in=set(per_site) | set(standings)).order_by("name")
    records = [SiteRecord(site, standings.get(site.pk), **{k: per_site.get(site.pk, {}).get(k, 0)
                                                            for k in ("approved", "pending", "rejected")})
               for site in sites]
    shown = list(comments.select_related("article", "site").order_by("-created_at")[:COMMENTS_SHOWN])
    emails = sorted(set(comments.exclude(author_email="").values_list("author_email", flat=True)[:50]))
    if who.user is not None and who.user.email:
        emails = sorted({*emails, who.user.email})
    return Panel(
        who=who, comments=shown, total=sum(r.approved + r.pending + r.rejected for r in records),
        records=records, emails=[(e, evasion.email_hints(e)) for e in emails],
        aliases=_aliases(who, emails, site_ids),
        same_address=_same_address(who, comments, site_ids),
    )


def _author_link(row: dict[str, Any]) -> tuple[str, str]:
    if row.get("author_id"):
        return "user", str(row["author_id"])
    if row.get("reader_id"):
        return "reader", row["reader_id"]
    return "email", row.get("author_email", "")


def _others(who: Identity, site_ids: frozenset[int]) -> QuerySet[Comment]:
    return Comment.objects.filter(site_id__in=site_ids).exclude(who.comments_q())


def _aliases(who: Identity, emails: list[str], site_ids: frozenset[int]) -> list[dict[str, Any]]:
    """Other authors whose address delivers to the same mailbox (`+tag`, Gmail dots)."""
    mailboxes = {evasion.canonical_email(e) for e in emails}
    if not mailboxes:
        return []
    domains = {m.rpartition("@")[2] for m in mailboxes}
    domains |= {alias for alias, real in evasion.DOMAIN_ALIASES.items() if real in domains}
    by_domain = Q()
    for domain in domains:
        by_domain |= Q(author_email__iendswith=f"@{domain}")
    found: dict[tuple[str, str], dict[str, Any]] = {}
    rows = (_others(who, site_ids).filter(by_domain).order_by()
            .values("author_id", "reader_id", "author_email", "author_name")
            .distinct()[:CANDIDATES_SCANNED])
    for row in rows:
        if evasion.canonical_email(row["author_email"]) in mailboxes:
            kind, key = _author_link(row)
            found.setdefault((kind, key), {"kind": kind, "key": key, "name": row["author_name"],
                                           "email": row["author_email"]})
    return list(found.values())


def _same_address(who: Identity, comments: QuerySet[Comment],
                  site_ids: frozenset[int]) -> list[dict[str, Any]]:
    """Other authors who posted from a network (/24 or /48) this author used, with their standing."""
    networks = set(comments.exclude(network_hash="").values_list("network_hash", flat=True).distinct()[:200])
    if not networks:
        return []
    rows = (_others(who, site_ids).filter(network_hash__in=networks).order_by()
            .values("author_id", "reader_id", "author_email", "author_name", "site_id")
            .annotate(count=Count("pk"))[:100])
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        kind, key = _author_link(row)
        entry = found.setdefault((kind, key), {"kind": kind, "key": key, "name": row["author_name"],
                                               "comments": 0})
        entry["comments"] += row["count"]
    banned = _banned_keys(list(found), site_ids)
    for key, entry in found.items():
        entry["banned"] = key in banned
    return sorted(found.values(), key=lambda e: (not e["banned"], -e["comments"]))


def _banned_keys(keys: list[tuple[str, str]], site_ids: frozenset[int]) -> set[tuple[str, str]]:
    users = [int(k) for kind, k in keys if kind == "user" and params.is_object_id(k)]
    readers = [k for kind, k in keys if kind == "reader"]
    rows = Standing.objects.filter(Q(user_id__in=users) | Q(user__isnull=True, reader_id__in=readers),
                                   site_id__in=site_ids, banned=True).values_list("user_id", "reader_id")
    return {("user", str(user_id)) if user_id else ("reader", reader_id) for user_id, reader_id in rows}
