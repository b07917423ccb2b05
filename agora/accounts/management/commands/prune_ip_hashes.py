"""Erase the hashed IP addresses older than the retention period (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from agora.accounts.privacy import prune_ip_hashes


class Command(BaseCommand):
    help = "Erase IP hashes of comments older than each site's retention period."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"Erased the IP hashes of {prune_ip_hashes()} comment(s).")
