"""`agora export_labels`: moderator decisions that overrode the pipeline, as training data."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser
from django.utils.dateparse import parse_datetime

from agora.moderation.models import Decision


class Command(BaseCommand):
    help = ("Print moderator decisions that changed a pipeline outcome as JSON lines: "
            '{"text", "label" ("toxic"|"ok"), "status", "scores", "site", "decided_at"}.')

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="Only this site (slug).")
        parser.add_argument("--since", help="Only decisions at or after this ISO date-time.")

    def handle(self, *args, **options) -> None:
        labels = (Decision.objects.filter(is_label=True).select_related("comment__site")
                  .order_by("created_at", "pk"))
        if options["site"]:
            labels = labels.filter(comment__site__slug=options["site"])
        if options["since"]:
            labels = labels.filter(created_at__gte=parse_datetime(options["since"]))
        for decision in labels.iterator():
            comment = decision.comment
            if comment.is_deleted:
                continue
            pipeline_scores = (comment.decisions.filter(source=Decision.Source.PIPELINE)
                               .values_list("scores", flat=True).first()) or {}
            self.stdout.write(json.dumps({
                "text": comment.body, "label": decision.label, "status": decision.status,
                "scores": pipeline_scores, "site": comment.site.slug,
                "decided_at": decision.created_at.isoformat(),
            }, ensure_ascii=False))
