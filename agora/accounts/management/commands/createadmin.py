"""Create (or reset) an administrator account non-interactively or by prompting."""

from __future__ import annotations

import getpass
import secrets

from django.core.management.base import BaseCommand, CommandError

from agora.accounts.models import User


class Command(BaseCommand):
    help = "Create an admin account; prints a generated password unless --password is given."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="Use this password instead of a generated one.")
        parser.add_argument("--prompt", action="store_true", help="Ask for the password.")

    def handle(self, *args: object, username: str, email: str, password: str | None,
               prompt: bool, **options: object) -> None:
        if prompt:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Again: "):
                raise CommandError("The passwords differ.")
        generated = password is None
        password = password or secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        user.is_staff = user.is_superuser = True
        if email:
            user.email = email
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Updated"
        shown = f" with password '{password}'" if generated else ""
        self.stdout.write(self.style.SUCCESS(f"{verb} admin '{username}'{shown}."))
