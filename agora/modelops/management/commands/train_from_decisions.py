"""`agora train_from_decisions` (also `agora model train --from-decisions`)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agora.comments.models import Site
from agora.errors import AgoraError
from agora.modelops import services


class Command(BaseCommand):
    help = (
        "Adapt the toxicity model to the moderators' labelled decisions of a site (or of all sites), "
        "activate it only if it is not worse than the active one; --rollback re-activates the previous one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="Site slug (default: all sites together).")
        parser.add_argument("--rollback", action="store_true", help="Re-activate the previous model.")

    def handle(self, *args, **options) -> None:
        site = None
        if options["site"]:
            site = Site.objects.filter(slug=options["site"]).first()
            if site is None:
                raise CommandError(f"No site with slug {options['site']!r}.")
        try:
            if options["rollback"]:
                parent = services.rollback(site)
                self.stdout.write(f"active model: {parent.path if parent else 'shipped model'}")
                return
            version = services.train_from_decisions(site)
        except AgoraError as exc:
            raise CommandError(exc.message) from exc
        metrics = version.metrics
        state = "activated" if version.active else "kept inactive (worse than the active model)"
        self.stdout.write(f"model {version.pk} {state}: {version.path}")
        self.stdout.write(
            json.dumps({"metrics": metrics["metrics"], "reasons": metrics["reasons"]}, ensure_ascii=False)
        )
