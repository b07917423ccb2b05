"""Data protection requests handled by an admin: `agora gdpr export|delete --user X`."""

from __future__ import annotations

import orjson
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from agora.accounts import privacy
from agora.accounts.models import User


def find_user(identifier: str) -> User:
    query = Q(username=identifier) | Q(email__iexact=identifier)
    if identifier.isdigit():
        query |= Q(pk=int(identifier))
    users = list(User.objects.filter(query)[:2])
    if not users:
        raise CommandError(f"No user matches '{identifier}'.")
    if len(users) > 1:
        raise CommandError(f"Several users match '{identifier}': give the id or the username.")
    return users[0]


class Command(BaseCommand):
    help = "Export a user's data as JSON, or delete the account (now or after the grace period)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["export", "delete"])
        parser.add_argument("--user", required=True, help="User id, username or e-mail address.")
        parser.add_argument("--output", help="Write the export to this file instead of stdout.")
        parser.add_argument("--now", action="store_true",
                            help="Delete immediately instead of after the grace period.")

    def handle(self, *args: object, action: str, user: str, output: str | None, now: bool,
               **options: object) -> None:
        account = find_user(user)
        if action == "export":
            data = orjson.dumps(privacy.export_user_data(account), option=orjson.OPT_INDENT_2)
            if output:
                with open(output, "wb") as handle:
                    handle.write(data)
                self.stdout.write(f"Wrote the data of user {account.pk} to {output}.")
            else:
                self.stdout.write(data.decode())
            return
        if now:
            result = privacy.complete_deletion(account)
            self.stdout.write(f"Deleted user {user}: {result['comments_anonymised']} comment(s) "
                              f"anonymised, {result['comments_removed']} removed.")
        else:
            due = privacy.request_deletion(account)
            self.stdout.write(f"User {user} is logged out; the account will be deleted on {due:%Y-%m-%d}.")
