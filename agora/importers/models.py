from __future__ import annotations

from django.db import models

from agora.comments.models import Comment, Site


class ImportRun(models.Model):
    """One completed import: what was read and what it added (shown in the admin)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="import_runs")
    format = models.CharField(max_length=20)
    source = models.CharField(max_length=500, help_text="File name as given.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.format} import of {self.source}"


class AuditFinding(models.Model):
    """The pipeline's verdict on one comment during `agora audit` (lives in the throwaway database)."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="audit_finding")
    decision = models.CharField(max_length=16)
    labels = models.JSONField(default=list)
    reasons = models.JSONField(default=list)
