"""Read replicas: reads go to a replica, writes and migrations to the primary.

Enabled by AGORA_DATABASE_REPLICA_URLS (comma-separated database URLs). Reads inside a
transaction on the primary (`transaction.atomic()`, `select_for_update`) use the primary, as
Django routes a query to the connection of the open transaction's database.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.db import connections


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        # A transaction open on the primary reads its own writes there.
        if connections["default"].in_atomic_block:
            return "default"
        replicas = replica_aliases()
        return random.choice(replicas) if replicas else "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name=None, **hints) -> bool:
        return db == "default"
