"""The pipeline's phases, in their default order. Each takes the `Context` of one submission and
returns `Finding`s (`agora.moderation.verdicts`); `agora.moderation.pipeline` combines them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.db.models import Q
from django.utils import timezone

from agora import identity
from agora.comments.models import Comment
from agora.moderation import hook, ratelimits, reputation, scoring, standings, wordlists
from agora.moderation.matcher import BANNED, Hit
from agora.moderation.models import ModerationSettings, Standing
from agora.moderation.sitesettings import settings_for
from agora.moderation.verdicts import (
    ANNOTATE,
    PENDING,
    REJECTED,
    Finding,
    Followup,
    Reason,
    Refusal,
    Submission,
)
from agora.toxicity.normalize import Normalized, normalize

# Texts shorter than this ("Thanks!", "+1", "Agreed.") are repeated innocently all the time.
REPEAT_MIN_LENGTH = 24
_REPEAT_MEMORY = 20
_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>()\[\]\"']+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|net|org|info|biz|io|co|uk|de|fr|eu|ru|cn|xyz|top|me|ly|tk|to|cc|gg|tv|click|link|site|"
    r"online|shop|app|dev|news)\b(?:/[^\s<>()\"']*)?"
)


class Context:
    """One submission and what the phases learn about it, computed once and shared."""

    def __init__(self, submission: Submission) -> None:
        self.submission = submission
        self.site = submission.site
        self.article = submission.article
        self.model_scores: dict[str, float] = {}
        self.followup = Followup(author_key=self.author_key)

    @cached_property
    def settings(self) -> ModerationSettings:
        return settings_for(self.site)

    @cached_property
    def normalized(self) -> Normalized:
        return normalize(self.submission.body)

    @cached_property
    def author_key(self) -> str:
        sub = self.submission
        return identity.author_key(sub.author.pk if sub.author is not None else None,
                                   sub.reader_id, sub.ip)

    @cached_property
    def standings(self) -> list[Standing]:
        """Every standing on this site that matches the author by account, reader or e-mail."""
        sub = self.submission
        email = sub.author_email or (sub.author.email if sub.author is not None else "")
        self.followup.standings_key = standings.entry_key(self.site, user=sub.author,
                                                             reader_id=sub.reader_id, email=email)
        return standings.matching(self.site, user=sub.author, reader_id=sub.reader_id, email=email)

    @cached_property
    def own_standing(self) -> Standing | None:
        sub = self.submission
        for standing in self.standings:
            if sub.author is not None and standing.user_id == sub.author.pk:
                return standing
            if sub.author is None and sub.reader_id and standing.reader_id == sub.reader_id:
                return standing
        return None

    @property
    def trusted(self) -> bool:
        author = self.submission.author
        if author is not None and (author.is_staff or author.is_superuser):
            return True
        return self.own_standing is not None and self.own_standing.trusted

    def approved_comments(self, enough: int) -> int:
        """How many approved comments the author has here, counting at most `enough`."""
        sub = self.submission
        if sub.author is not None:
            mine = Q(author=sub.author)
        elif sub.reader_id:
            mine = Q(reader_id=sub.reader_id)
        else:
            return 0
        rows = Comment.objects.filter(Q(site=self.site, status=Comment.Status.APPROVED) & mine)
        return len(rows.values_list("pk", flat=True)[:enough])


@dataclass(frozen=True)
class Phase:
    name: str
    run: Callable[[Context], list[Finding]]
    runs_after_decision: bool = True


def _spans(hits: Iterable[Hit]) -> tuple[tuple[int, int, str], ...]:
    return tuple((hit.start, hit.end, hit.text) for hit in hits)


def _quoted(hits: Iterable[Hit]) -> str:
    return ", ".join(f"“{hit.text}”" for hit in hits)


# ---- 1 structure ---------------------------------------------------------------------------------

def structure(context: Context) -> list[Finding]:
    """Empty, too long, closed: the services refuse these first; the checks stay here for
    other callers (imports, re-moderation). Banned and suspended authors are refused, and slow
    mode is decided here, before any costly phase."""
    sub = context.submission
    _refuse_banned_or_suspended(context)
    _enforce_slow_mode(context)
    limit = min(context.site.max_comment_length, django_settings.MAX_COMMENT_LENGTH)
    if not sub.body.strip():
        return [Finding(Reason("structure", "empty", "The comment is empty."), REJECTED)]
    if len(sub.body) > limit:
        message = f"The comment is {len(sub.body):,} characters long; the limit is {limit:,}."
        return [Finding(Reason("structure", "too_long", message), REJECTED)]
    if context.article.is_closed and sub.editing is None and not sub.imported:
        return [Finding(Reason("structure", "closed", "Comments are closed on this article."), REJECTED)]
    return []


def _refuse_banned_or_suspended(context: Context) -> None:
    now = timezone.now()
    for standing in context.standings:
        if standing.banned:
            reason = f" Reason: {standing.ban_reason}" if standing.ban_reason else ""
            raise Refusal(f"You can no longer comment on {context.site.name}.{reason}", code="banned")
    if standings.network_banned(context.site, identity.hash_network(context.submission.ip)):
        raise Refusal(f"You can no longer comment on {context.site.name}.", code="banned")
    for standing in context.standings:
        if standing.is_suspended(now):
            until = timezone.localtime(standing.suspended_until).strftime("%Y-%m-%d %H:%M %Z")
            reason = f" Reason: {standing.suspension_reason}" if standing.suspension_reason else ""
            raise Refusal(f"You cannot comment until {until}.{reason}", code="suspended")


# ---- 2 word lists --------------------------------------------------------------------------------

def word_list(context: Context) -> list[Finding]:
    matcher = wordlists.matcher_for(context.site)
    hits = matcher.find_normalized(context.submission.body, context.normalized)
    findings = []
    banned = [hit for hit in hits if hit.kind == BANNED]
    suspect = [hit for hit in hits if hit.kind != BANNED]
    if banned:
        findings.append(Finding(
            Reason("wordlist", "banned_word", f"Banned words: {_quoted(banned)}.", _spans(banned)),
            REJECTED))
    if suspect:
        findings.append(Finding(
            Reason("wordlist", "suspect_word", f"Words that need review: {_quoted(suspect)}.",
                   _spans(suspect)),
            PENDING, nudgeable=True))
    return findings


# ---- 3 user names --------------------------------------------------------------------------------

# Names run words together: "SlurPatrol", "Slur88". Split them where a reader would.
_NAME_WORD_BREAKS = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d{2,}\b)")

def user_name(context: Context) -> list[Finding]:
    """A display name is checked the first time it is used (and again when it changes)."""
    name = context.submission.author_name
    standing = context.own_standing
    if not name or (standing is not None and standing.checked_name == name):
        return []
    hits = wordlists.matcher_for(context.site).find(_NAME_WORD_BREAKS.sub(" ", name))
    if not hits:
        context.followup.checked_name = name
        return []
    banned = any(hit.kind == BANNED for hit in hits)
    rule, action = ("banned_name", REJECTED) if banned else ("suspect_name", PENDING)
    message = f"The display name “{name}” contains {_quoted(hits)}."
    return [Finding(Reason("username", rule, message), action)]


# ---- 4 links -------------------------------------------------------------------------------------

def _domain(url: str) -> str:
    candidate = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(candidate).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _within(domain: str, domains: Iterable[str]) -> bool:
    for listed in domains:
        listed = listed.lower().strip().removeprefix("www.")
        if listed and (domain == listed or domain.endswith(f".{listed}")):
            return True
    return False


def links(context: Context) -> list[Finding]:
    found = [(m.start(), m.end(), m.group(), _domain(m.group()))
             for m in _URL.finditer(context.submission.body)]
    found = [link for link in found if link[3]]
    if not found:
        return []
    settings = context.settings
    denied = [link for link in found if _within(link[3], settings.link_deny_domains)]
    if denied:
        domains = ", ".join(sorted({link[3] for link in denied}))
        return [Finding(Reason("links", "denied_domain", f"Links to a blocked domain: {domains}.",
                               tuple(link[:3] for link in denied)), REJECTED)]
    own = [urlsplit(origin).hostname or "" for origin in context.site.allowed_origins]
    unknown = [link for link in found if not _within(link[3], [*settings.link_allow_domains, *own])]
    if not unknown or not settings.hold_links_from_new or context.trusted or context.submission.imported:
        return []
    if context.approved_comments(1) > 0:
        return []
    return [Finding(Reason("links", "link_from_new_commenter",
                           "Links from a commenter without approved comments are reviewed first.",
                           tuple(link[:3] for link in unknown)), PENDING)]


# ---- 5 repeats and floods ------------------------------------------------------------------------

def repeats(context: Context) -> list[Finding]:
    sub = context.submission
    if sub.editing is not None or not context.settings.repeat_detection:
        return []
    text = " ".join(context.normalized.text.split())
    if len(text) < REPEAT_MIN_LENGTH:
        return []
    fingerprint = hashlib.sha256(text.encode()).hexdigest()[:32]
    context.followup.fingerprint = fingerprint
    seen = ratelimits.seen_texts(context.site.pk, fingerprint)
    author = context.author_key
    if author and any(entry[0] == author for entry in seen):
        return [Finding(Reason("repeats", "repeat_same_author",
                               "The same text was posted by this author before."), PENDING)]
    if any(entry[1] != context.article.pk for entry in seen):
        return [Finding(Reason("repeats", "repeat_across_articles",
                               "The same text was posted on another article."), PENDING)]
    return []


# ---- 6 toxicity model ----------------------------------------------------------------------------

def model(context: Context) -> list[Finding]:
    sub = context.submission
    outcome = scoring.score(sub.body, site=sub.site, spans=False)
    if outcome is None:
        return [Finding(Reason("model", "model_unavailable",
                               "The toxicity model is unavailable; nothing was held for toxicity."))]
    context.model_scores = outcome.scores
    findings: list[Finding] = []
    if outcome.unsupported:
        # Scores of a language the model does not read mean nothing: a person decides (the
        # site may publish such comments instead, still marked with the reason).
        held = PENDING if context.settings.hold_unsupported_languages else ANNOTATE
        findings.append(Finding(Reason("model", "language_unsupported",
                                       f"The model does not read this language ({outcome.language}).",
                                       scores=outcome.scores), held))
    strongest, labels = ANNOTATE, []
    for label, levels in context.settings.model_thresholds.items():
        score = outcome.scores.get(label)
        if score is None:
            continue
        if score >= levels.get("reject", 2):
            strongest = REJECTED
            labels.append(label)
        elif score >= levels.get("hold", 2):
            strongest = strongest if strongest == REJECTED else PENDING
            labels.append(label)
    if labels:
        # Only a flagged comment needs the words behind its scores, for the moderator.
        rescored = scoring.score(sub.body, site=sub.site)
        spans = rescored.spans if rescored else outcome.spans
        listed = ", ".join(f"{label.replace('_', ' ')} {outcome.scores[label]:.2f}" for label in labels)
        findings.append(Finding(
            Reason("model", "toxicity", f"The model scores this comment high for {listed}.",
                   spans, {label: outcome.scores[label] for label in labels}),
            strongest, nudgeable=strongest == PENDING))
    return findings


# ---- 7 trust and pre-moderation ------------------------------------------------------------------

def trust(context: Context) -> list[Finding]:
    sub = context.submission
    if sub.imported:
        return []
    if context.trusted:
        return []
    standing = context.own_standing
    settings = context.settings
    flood = _new_reader_flood(context)
    if flood:
        return [flood]
    if standing is not None and standing.always_premoderate:
        return [Finding(Reason("trust", "author_premoderated",
                               "Every comment of this author is reviewed first."), PENDING)]
    if context.article.premoderate:
        return [Finding(Reason("trust", "article_premoderated",
                               "Every comment on this article is reviewed first."), PENDING)]
    if settings.premoderate_all:
        return [Finding(Reason("trust", "site_premoderated",
                               "Every comment on this site is reviewed first."), PENDING)]
    needed = settings.trust_ramp_approved
    if needed and sub.editing is None:
        approved = context.approved_comments(needed)
        if approved < needed:
            message = f"New commenters are reviewed until {needed} comments are approved ({approved} so far)."
            return [Finding(Reason("trust", "trust_ramp", message), PENDING)]
    return []


def _new_reader_flood(context: Context) -> Finding | None:
    """A new anonymous reader from a network that was handed many reader tokens within the hour:
    likely one person rotating tokens. Held for a moderator, who sees the count."""
    sub = context.submission
    threshold = django_settings.READER_TOKEN_FLOOD_PER_HOUR
    if sub.author is not None or not sub.reader_id or not threshold or sub.editing is not None:
        return None
    issued = reputation.new_tokens_last_hour(sub.ip)
    if issued < threshold or context.approved_comments(1):
        return None
    return Finding(Reason("trust", "reader_token_flood",
                          f"{issued} new reader tokens went to this network in the last hour; "
                          "this reader has no approved comment yet."), PENDING)


def _enforce_slow_mode(context: Context) -> None:
    # An edit counts like a post: rewriting a comment again and again is a way to flood too.
    seconds = context.article.slow_mode_seconds
    if not seconds or not context.author_key:
        return
    author = context.submission.author
    if author is not None and (author.is_staff or author.is_superuser):
        return
    wait = ratelimits.slow_mode_wait(context.article.pk, context.author_key)
    if wait:
        raise Refusal(f"Slow mode: one comment every {seconds} seconds. Try again in {wait} seconds.",
                      code="slow_mode", throttled=True)
    context.followup.slow_mode_seconds = seconds


# ---- 8 external hook -----------------------------------------------------------------------------

def external_hook(context: Context) -> list[Finding]:
    settings = context.settings
    if not settings.hook_url:
        return []
    return hook.call(settings, context.submission)


PHASES: dict[str, Phase] = {phase.name: phase for phase in (
    Phase("structure", structure),
    Phase("wordlist", word_list),
    Phase("username", user_name),
    Phase("links", links),
    Phase("repeats", repeats),
    Phase("model", model),
    Phase("trust", trust),
    Phase("hook", external_hook, runs_after_decision=False),
)}


def ordered(names: Iterable[str]) -> list[Phase]:
    """The phases in the site's order. Structure always runs first (bans must hold whatever the
    order); names that are not phases are ignored."""
    chosen = [PHASES[name] for name in dict.fromkeys(names) if name in PHASES and name != "structure"]
    return [PHASES["structure"], *chosen]
