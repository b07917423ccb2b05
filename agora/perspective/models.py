"""Moderator judgements received through Perspective's ``comments:suggestscore``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from agora.comments.models import Site


class SuggestedScore(models.Model):
    """A Perspective client's moderator decision on one comment and attribute (Coral sends one
    when a moderator approves or rejects). A later one with the same client token replaces it."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    client_token = models.CharField(max_length=200)
    label = models.CharField(max_length=32)
    text = models.TextField()
    toxic = models.BooleanField()
    community_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "client_token", "label"], name="suggested_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.label}={int(self.toxic)} for {self.client_token} on {self.site_id}"
