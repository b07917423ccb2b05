"""Versions of the toxicity model trained from a site's moderator decisions."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from agora.comments.models import Site


class ModelVersion(models.Model):
    """One trained artefact. At most one active version per site (``site`` None: all sites)."""

    site = models.ForeignKey(Site, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    # The comparison with the model active at training time (per label and identity subgroup).
    metrics = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["site", "active"])]

    def __str__(self) -> str:
        state = "active" if self.active else "inactive"
        return f"model {self.pk} for {self.site or 'all sites'} ({state})"
