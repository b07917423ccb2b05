"""Moderation data: per-site settings, decisions with their reasons, reader flags, word lists,
author standing, the append-only audit log and thread escalations."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agora.comments.models import Article, Comment, Site

DEFAULT_PHASE_ORDER = ["structure", "wordlist", "username", "links", "repeats", "model", "trust", "hook"]

# Per-label thresholds of the toxicity model (Perspective's seven labels). A score at or above
# "hold" holds the comment (or nudges the reader first), at or above "reject" rejects it. Rudeness
# alone is never rejected by the model (above 1 means never): a moderator decides.
DEFAULT_MODEL_THRESHOLDS = {
    "toxicity": {"hold": 0.80, "reject": 1.01},
    "severe_toxicity": {"hold": 0.50, "reject": 0.90},
    "identity_attack": {"hold": 0.60, "reject": 0.97},
    "insult": {"hold": 0.85, "reject": 1.01},
    "profanity": {"hold": 0.90, "reject": 1.01},
    "threat": {"hold": 0.60, "reject": 0.97},
    "sexually_explicit": {"hold": 0.70, "reject": 1.01},
}


def _default_phase_order() -> list[str]:
    return list(DEFAULT_PHASE_ORDER)


def _default_model_thresholds() -> dict[str, dict[str, float]]:
    return {label: dict(levels) for label, levels in DEFAULT_MODEL_THRESHOLDS.items()}


class ModerationSettings(models.Model):
    """How the pipeline treats one site's comments. Created with defaults on first use."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="moderation_settings")
    phase_order = models.JSONField(
        default=_default_phase_order,
        help_text=format_lazy(
            _("Order of the pipeline phases; a phase left out is skipped. Known phases: {phases}."),
            phases=", ".join(DEFAULT_PHASE_ORDER)),
    )
    model_thresholds = models.JSONField(
        default=_default_model_thresholds,
        help_text=_('Per model label: {"hold": score, "reject": score}. Above 1 disables the action.'),
    )
    nudge_enabled = models.BooleanField(
        default=True, help_text=_("Offer the reader a chance to rephrase before a toxic comment is held.")
    )
    trust_ramp_approved = models.PositiveIntegerField(
        default=0, help_text=_("Hold comments of commenters with fewer approved comments than this (0: off).")
    )
    premoderate_all = models.BooleanField(default=False, help_text=_("Hold every comment on this site."))
    hold_unsupported_languages = models.BooleanField(
        _("hold comments in languages the model does not read"), default=True,
        help_text=_("Such comments wait for a moderator. Off: they are published, marked with the reason."))
    flag_threshold = models.PositiveIntegerField(
        default=3, help_text=_("Reader flags that hold an approved comment automatically (0: never).")
    )
    hold_links_from_new = models.BooleanField(
        default=True, help_text=_("Hold comments with links from commenters without approved comments.")
    )
    link_allow_domains = models.JSONField(
        default=list, blank=True,
        help_text=_("Domains (and their subdomains) that links may always point to.")
    )
    link_deny_domains = models.JSONField(
        default=list, blank=True, help_text=_("Domains whose links reject the comment.")
    )
    rate_limit_per_ip = models.PositiveIntegerField(
        default=60, help_text=_("Comments per rate window from one network (/24 IPv4, /48 IPv6); 0: off.")
    )
    rate_limit_per_author = models.PositiveIntegerField(
        default=15, help_text=_("Comments per rate window from one account or reader; 0: off.")
    )
    rate_window_seconds = models.PositiveIntegerField(default=60)
    repeat_detection = models.BooleanField(
        default=True, help_text=_("Hold the same text posted again by the same author or across articles.")
    )
    repeat_window_seconds = models.PositiveIntegerField(default=24 * 3600)
    escalation_enabled = models.BooleanField(default=True)
    escalation_window_seconds = models.PositiveIntegerField(
        default=15 * 60, help_text=_("Recent window over which an article's comments are watched.")
    )
    escalation_min_comments = models.PositiveIntegerField(
        default=8, help_text=_("Comments needed in the window before the rates count.")
    )
    escalation_hold_rate = models.FloatField(
        default=0.4, help_text=_("Share of held or rejected comments in the window that escalates.")
    )
    escalation_toxicity_velocity = models.PositiveIntegerField(
        default=8, help_text=_("Toxic comments (held or rejected for toxicity) in the window that escalate.")
    )
    hook_url = models.URLField(blank=True, help_text=_("Optional newsroom check called for every comment."))
    hook_secret = models.CharField(max_length=200, blank=True, help_text=_("HMAC-SHA256 signing secret."))
    hook_timeout_seconds = models.FloatField(default=2.0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("moderation settings")
        verbose_name_plural = _("moderation settings")

    def __str__(self) -> str:
        return f"Moderation settings of {self.site}"

    @classmethod
    def for_site(cls, site: Site) -> ModerationSettings:
        found = cls.objects.filter(site=site).first()
        if found is not None:
            return found
        settings_row, _created = cls.objects.get_or_create(site=site)
        return settings_row


class Decision(models.Model):
    """One status decision on a comment. The comment's history; the latest is current."""

    class Source(models.TextChoices):
        PIPELINE = "pipeline"
        MODERATOR = "moderator"
        FLAGS = "flags"
        ESCALATION = "escalation"
        IMPORT = "import"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=16, choices=Comment.Status.choices)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PIPELINE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"phase", "rule", "message", "spans": [[start, end, text]], "scores": {label: score}}]
    reasons = models.JSONField(default=list, blank=True)
    # Model scores per label, when the model ran.
    scores = models.JSONField(default=dict, blank=True)
    # A moderator decision that overrides the pipeline's outcome: a training label for the model.
    is_label = models.BooleanField(default=False)
    label = models.CharField(
        max_length=16, blank=True, help_text=_("'toxic' or 'ok' when this decision is a training label.")
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["comment", "-created_at"]),
            models.Index(fields=["is_label", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.status} by {self.source} on comment {self.comment_id}"

    @property
    def rules(self) -> list[str]:
        return [reason.get("rule", "") for reason in self.reasons]


class Flag(models.Model):
    """A reader's report of a comment."""

    class Reason(models.TextChoices):
        ABUSIVE = "abusive", _("Abusive")
        SPAM = "spam", _("Spam")
        OFF_TOPIC = "off_topic", _("Off topic")
        ILLEGAL = "illegal", _("Illegal")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    explanation = models.TextField(blank=True)
    # "user:<id>" or "reader:<reader id>": one flag per reader per comment.
    reporter = models.CharField(max_length=80)
    # How much the flag counts towards the threshold: the reporter's standing when flagging
    # (see agora/moderation/reputation.py); flags from one network count once, at their highest.
    weight = models.FloatField(default=1.0)
    network_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="flag_once")]
        indexes = [models.Index(fields=["comment", "created_at"])]

    def __str__(self) -> str:
        return f"{self.reason} flag on comment {self.comment_id}"


class WordListEntry(models.Model):
    """A banned (reject) or suspect (hold) word or phrase of one site."""

    class Kind(models.TextChoices):
        BANNED = "banned", _("Banned")
        SUSPECT = "suspect", _("Suspect")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="word_list")
    phrase = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.BANNED)
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        help_text=_("The language the entry is written in (e.g. de, ar): its inflected forms and "
                    "spellings are matched too. Empty: matched as written."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("word list entry")
        verbose_name_plural = _("word list")
        constraints = [models.UniqueConstraint(fields=["site", "phrase"], name="wordlist_unique_phrase")]

    def __str__(self) -> str:
        return f"{self.phrase} ({self.kind})"


class WordListState(models.Model):
    """Whether a site's default list was loaded, and the version that keys its compiled matcher."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="word_list_state")
    defaults_loaded = models.BooleanField(default=False)
    # The shipped languages whose default lists were loaded (each once: deletions stay deleted).
    default_languages = models.JSONField(default=list, blank=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Word list v{self.version} of {self.site}"


class Standing(models.Model):
    """An author's standing on one site: an account, or an anonymous reader."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="standings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="standings"
    )
    reader_id = models.CharField(max_length=64, blank=True, db_index=True)
    email = models.EmailField(blank=True, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    banned = models.BooleanField(default=False)
    ban_reason = models.CharField(max_length=500, blank=True, help_text=_("Shown to the author."))
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True, help_text=_("Shown to the author."))
    always_premoderate = models.BooleanField(default=False)
    trusted = models.BooleanField(default=False, help_text=_("Skips the trust ramp and link checks."))
    approved_count = models.PositiveIntegerField(default=0)
    # A user name that passed the word-list checks once need not be checked again.
    checked_name = models.CharField(max_length=80, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("author standing")
        verbose_name_plural = _("author standings")
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], condition=Q(user__isnull=False),
                                    name="standing_unique_user"),
            models.UniqueConstraint(fields=["site", "reader_id"],
                                    condition=Q(user__isnull=True) & ~Q(reader_id=""),
                                    name="standing_unique_reader"),
        ]

    def __str__(self) -> str:
        who = f"user {self.user_id}" if self.user_id else f"reader {self.reader_id}"
        return f"Standing of {who} on {self.site}"

    def is_suspended(self, now: datetime | None = None) -> bool:
        return self.suspended_until is not None and self.suspended_until > (now or timezone.now())


class NetworkBan(models.Model):
    """A ban that also covers a network (/24, /48) the banned author posted from."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="network_bans")
    standing = models.ForeignKey(Standing, on_delete=models.CASCADE, related_name="network_bans")
    network_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["standing", "network_hash"],
                                               name="network_ban_once")]
        indexes = [models.Index(fields=["site", "network_hash"])]

    def __str__(self) -> str:
        return f"Network ban with {self.standing}"


class AppendOnlyError(Exception):
    """Audit entries are never changed or removed."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what, when, why, with the state before and after. Append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept when the account goes: the log must still say who acted.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["site", "-created_at"]),
                   models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or 'system'} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        if self.actor is not None and not self.actor_name:
            self.actor_name = self.actor.get_username()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


class Escalation(models.Model):
    """An article switched to pre-moderation because its thread turned hostile."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="escalations")
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # {"window_seconds", "comments", "held", "rejected", "hold_rate", "toxic", "trigger"}
    trigger_stats = models.JSONField(default=dict)
    # Whether the article was already pre-moderated: ending the escalation restores this.
    was_premoderated = models.BooleanField(default=False)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["article"], condition=Q(ended_at__isnull=True),
                                               name="one_open_escalation_per_article")]

    def __str__(self) -> str:
        state = "ended" if self.ended_at else "active"
        return f"Escalation of {self.article} ({state})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None
