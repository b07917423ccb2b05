from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A newsroom system told about comment events of one site, by signed HTTP POSTs."""

    class Event(models.TextChoices):
        COMMENT_CREATED = "comment.created"
        COMMENT_REPLIED = "comment.replied"
        COMMENT_MODERATED = "comment.moderated"
        COMMENT_DELETED = "comment.deleted"
        ARTICLE_ESCALATED = "article.escalated"

    site = models.ForeignKey("comments.Site", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=1000)
    secret = models.CharField(max_length=128, default=_new_secret,
                              help_text="Shared secret of the Agora-Signature HMAC.")
    events = models.JSONField(default=list, blank=True,
                              help_text="Event names to send; empty sends every event.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.site.slug} → {self.url}"

    def wants(self, event: str) -> bool:
        return self.active and (not self.events or event in self.events)


class WebhookDelivery(models.Model):
    """One event for one webhook, with the outcome of its latest attempt."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["webhook", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"


class Subscription(models.Model):
    """An e-mail address told about replies: to one comment, or to every comment of a user."""

    comment = models.ForeignKey("comments.Comment", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="subscriptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="reply_subscriptions")
    email = models.EmailField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Double opt-in: replies are mailed only once the address's owner followed the confirmation
    # link (or it is the verified address of the subscriber's account).
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(comment__isnull=False) | models.Q(user__isnull=False),
                name="subscription_has_target"),
            models.UniqueConstraint(fields=["comment", "email"], name="one_subscription_per_comment"),
            models.UniqueConstraint(fields=["user"], condition=models.Q(comment__isnull=True),
                                    name="one_account_subscription"),
        ]

    def __str__(self) -> str:
        return f"{self.email} on {'comment ' + str(self.comment_id) if self.comment_id else 'account'}"


class SentMail(models.Model):
    """One e-mail sent to a reader's address: what the per-address daily caps count."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation"
        REPLY = "reply"

    email = models.EmailField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["email", "kind", "created_at"])]


class ModeratorDigest(models.Model):
    """When each site's moderators were last sent the digest of held comments."""

    site = models.OneToOneField("comments.Site", on_delete=models.CASCADE, related_name="+")
    last_sent_at = models.DateTimeField()
