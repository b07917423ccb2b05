"""Complete the account deletions whose grace period is over (run daily, e.g. from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from agora.accounts.privacy import purge_due_deletions


class Command(BaseCommand):
    help = "Delete the accounts whose deletion was requested more than the grace period ago."

    def handle(self, *args: object, **options: object) -> None:
        deleted = purge_due_deletions()
        self.stdout.write(f"Deleted {len(deleted)} account(s).")
