"""Digital Services Act records: notices (Art. 16), statements of reasons (Art. 17), internal
complaints (Art. 20), trusted flaggers (Art. 22) and each site's settings for them.

Statements of reasons are immutable, like the audit log: a later change of mind is a new record
(an appeal decision, a new statement), never an edit.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agora.comments.models import Comment, Site

# The 27 member states: the default territorial scope of a decision (Transparency Database codes).
EU_MEMBER_STATES = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
                    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]


def _eu() -> list[str]:
    return list(EU_MEMBER_STATES)


class Category(models.TextChoices):
    """What a notice or a statement is about: the Transparency Database's statement categories."""

    ILLEGAL_OR_HARMFUL_SPEECH = "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", (
        "Illegal hate speech, defamation or discrimination")
    VIOLENCE = "STATEMENT_CATEGORY_VIOLENCE", "Incitement to violence or threats"
    CYBER_VIOLENCE = "STATEMENT_CATEGORY_CYBER_VIOLENCE", "Harassment, stalking or bullying"
    NON_CONSENSUAL_BEHAVIOUR = "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR", (
        "Non-consensual sharing of private material")
    PRIVACY = "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", (
        "Personal data or privacy violation")
    INTELLECTUAL_PROPERTY = "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", (
        "Copyright or trademark infringement")
    PROTECTION_OF_MINORS = "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "Child sexual abuse or harm to minors"
    PUBLIC_SECURITY = "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "Terrorist content or public security"
    SCAMS_AND_FRAUD = "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "Scam, fraud or phishing"
    CIVIC_DISCOURSE = "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS", (
        "Election manipulation or illegal disinformation")
    SELF_HARM = "STATEMENT_CATEGORY_SELF_HARM", "Promotion of self-harm or suicide"
    OTHER_VIOLATION = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC", "Other breach of the community rules"
    NOT_SPECIFIED = "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", "Other illegal content"


# Art. 16(2)(c): a notice about child sexual abuse material may be sent anonymously.
ANONYMOUS_CATEGORIES = frozenset({Category.PROTECTION_OF_MINORS})


class DsaSettings(models.Model):
    """How one site handles notices and complaints. Created with defaults on first use."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="dsa_settings")
    notice_sla_hours = models.PositiveIntegerField(
        default=24, help_text="Target time from receiving a notice to deciding it.")
    trusted_notice_sla_hours = models.PositiveIntegerField(
        default=12, help_text="Target for notices from trusted flaggers (they are also listed first).")
    appeal_sla_hours = models.PositiveIntegerField(default=72, help_text="Target time to decide a complaint.")
    appeal_window_months = models.PositiveIntegerField(
        default=6, help_text="How long after a decision its complaint can be filed (Art. 20: at least 6).")
    community_rules_url = models.URLField(
        blank=True, help_text="The site's community rules, cited by statements of reasons.")
    contact_email = models.EmailField(
        blank=True, help_text="The newsroom's point of contact, shown on notice and statement pages.")
    out_of_court_body = models.CharField(
        max_length=500, blank=True,
        help_text="Certified out-of-court dispute settlement body (Art. 21) named in statements.")
    territorial_scope = models.JSONField(
        default=_eu, help_text="Country codes where a decision applies (the Transparency Database's list).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "DSA settings"
        verbose_name_plural = "DSA settings"

    def __str__(self) -> str:
        return f"DSA settings of {self.site}"

    @classmethod
    def for_site(cls, site: Site) -> DsaSettings:
        return cls.objects.get_or_create(site=site)[0]


class TrustedFlagger(models.Model):
    """An account whose notices go first on a site (Art. 22): a designated organisation."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="trusted_flaggers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "user"], name="trusted_flagger_once")]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.site}"


def _reference() -> str:
    return uuid.uuid4().hex


class Notice(models.Model):
    """A notice of allegedly illegal content (Art. 16). Never merged: each is decided on its own."""

    class Status(models.TextChoices):
        OPEN = "open"
        ACTIONED = "actioned", "Content restricted"
        NO_ACTION = "no_action", "No action taken"

    reference = models.CharField(max_length=32, unique=True, default=_reference)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="dsa_notices")
    # Kept when the comment goes (account deletion): the notice must still say what it was about.
    comment = models.ForeignKey(Comment, null=True, on_delete=models.SET_NULL, related_name="dsa_notices")
    comment_ref = models.PositiveBigIntegerField(help_text="The comment's id, kept if it is deleted.")
    location = models.URLField(max_length=1000, help_text="The comment's permalink.")
    category = models.CharField(max_length=80, choices=Category.choices)
    explanation = models.TextField(help_text="Why the notifier considers the content illegal.")
    notifier_name = models.CharField(max_length=200, blank=True)
    notifier_email = models.EmailField(blank=True)
    notifier_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    # "user:<id>" or "reader:<id>" when the notice came with a reader identity (also flagged).
    notifier_key = models.CharField(max_length=80, blank=True)
    good_faith = models.BooleanField(default=False)
    # Came in as a plain "illegal" flag without the Art. 16(2) details.
    from_flag = models.BooleanField(default=False)
    trusted_flagger = models.ForeignKey(TrustedFlagger, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="notices")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decision_reasons = models.TextField(blank=True)
    legal_ground = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["site", "status", "due_at"])]

    def __str__(self) -> str:
        return f"Notice {self.reference[:8]} on comment {self.comment_ref}"

    @property
    def is_trusted(self) -> bool:
        return self.trusted_flagger_id is not None


class StatementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableError("Statements of reasons are never changed.")

    def delete(self):
        raise ImmutableError("Statements of reasons are never deleted.")


class ImmutableError(Exception):
    """Statements of reasons are stored once and never changed."""


class Statement(models.Model):
    """A statement of reasons (Art. 17) for one restriction that affects an author."""

    class Restriction(models.TextChoices):
        REMOVAL = "removal", "Comment removed"
        HOLD = "hold", "Comment held for review"
        BAN = "ban", "Banned from commenting"
        SUSPENSION = "suspension", "Suspended from commenting"

    class Ground(models.TextChoices):
        ILLEGAL = "illegal", "Illegal content"
        INCOMPATIBLE = "incompatible", "Breach of the community rules"

    class Source(models.TextChoices):
        VOLUNTARY = "voluntary", "Own initiative"
        NOTICE = "notice", "Notice (Art. 16)"
        TRUSTED_FLAGGER = "trusted_flagger", "Notice from a trusted flagger"

    class Automation(models.TextChoices):
        FULLY = "fully", "Decided by automated means"
        PARTIALLY = "partially", "Partly automated"
        NOT_AUTOMATED = "not_automated", "Decided by a moderator"

    puid = models.CharField(max_length=32, unique=True, default=_reference)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="dsa_statements")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="dsa_statements")
    comment_ref = models.PositiveBigIntegerField(null=True, blank=True)
    content_date = models.DateTimeField(null=True, blank=True)
    author_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    author_reader_id = models.CharField(max_length=64, blank=True, db_index=True)
    author_email = models.EmailField(blank=True)
    author_name = models.CharField(max_length=80, blank=True)
    restriction = models.CharField(max_length=16, choices=Restriction.choices)
    facts = models.TextField()
    ground = models.CharField(max_length=16, choices=Ground.choices)
    legal_ground = models.CharField(max_length=500, blank=True, help_text="The law, for illegal content.")
    rule = models.CharField(max_length=500, blank=True, help_text="The community rule, for breaches.")
    explanation = models.TextField(blank=True)
    category = models.CharField(max_length=80, choices=Category.choices)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.VOLUNTARY)
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.RESTRICT,
                               related_name="statements")
    automated_detection = models.BooleanField(default=False)
    automation = models.CharField(max_length=16, choices=Automation.choices)
    # The pipeline phase that decided ("wordlist", "model", "flags", ...) or "moderator".
    phase = models.CharField(max_length=32)
    model_version = models.CharField(max_length=80, blank=True)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    decision = models.ForeignKey("moderation.Decision", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="End of a suspension.")
    territorial_scope = models.JSONField(default=_eu)
    redress = models.TextField()
    appeal_until = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["site", "created_at"]),
                   models.Index(fields=["comment", "-created_at"])]
        constraints = [models.CheckConstraint(
            condition=~Q(ground="illegal") | ~Q(legal_ground=""), name="statement_illegal_names_law")]

    def __str__(self) -> str:
        return f"Statement {self.puid[:8]}: {self.get_restriction_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableError("Statements of reasons are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Statements of reasons are never deleted.")

    @property
    def is_automated(self) -> bool:
        return self.automation != self.Automation.NOT_AUTOMATED


class Appeal(models.Model):
    """An internal complaint (Art. 20) against a statement (by its author) or against a decision
    not to act on a notice (by its notifier). One per decision and party."""

    class Party(models.TextChoices):
        AUTHOR = "author"
        NOTIFIER = "notifier"

    class Status(models.TextChoices):
        OPEN = "open"
        UPHELD = "upheld", "Decision upheld"
        REVERSED = "reversed", "Decision reversed"

    reference = models.CharField(max_length=32, unique=True, default=_reference)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="dsa_appeals")
    party = models.CharField(max_length=16, choices=Party.choices)
    statement = models.OneToOneField(Statement, null=True, blank=True, on_delete=models.RESTRICT,
                                     related_name="appeal")
    notice = models.OneToOneField(Notice, null=True, blank=True, on_delete=models.RESTRICT,
                                  related_name="appeal")
    text = models.TextField()
    contact_email = models.EmailField(blank=True)
    # Who took the decision under appeal (None: automated means); may not decide the appeal.
    first_moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    filed_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decision_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        constraints = [models.CheckConstraint(
            condition=(Q(statement__isnull=False, notice__isnull=True, party="author")
                       | Q(statement__isnull=True, notice__isnull=False, party="notifier")),
            name="appeal_has_one_subject")]

    def __str__(self) -> str:
        return f"Appeal {self.reference[:8]} ({self.status})"


# References and statement ids are uuid4 hex: anything else names no record, and never reaches the
# database (PostgreSQL refuses some characters in text, NUL among them).
_REFERENCE = re.compile(r"[0-9a-f]{32}")


def find_notice(reference: str) -> Notice | None:
    if not _REFERENCE.fullmatch(reference):
        return None
    return Notice.objects.select_related("site").filter(reference=reference).first()


def find_statement(puid: str) -> Statement | None:
    if not _REFERENCE.fullmatch(puid):
        return None
    return Statement.objects.select_related("site", "comment").filter(puid=puid).first()
