"""Load the demo newspaper (idempotent) and print where to find it."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from agora.accounts.models import User
from agora.comments import services
from agora.comments.models import Article, Comment, Site
from agora.demo import content
from agora.demo.views import DEMO_SITE, story_url
from agora.dsa import demo as dsa_demo
from agora.i18n.languages import CODES

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the demo site with its stories and discussions, and an admin account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", choices=sorted(CODES),
                            help="The newspaper's language: its pages, widget and the admin's workspace.")

    def handle(self, *args: object, **options: object) -> None:
        site = self._site()
        loaded = sum(self._story(site, story) for story in content.STORIES)
        dsa_demo.seed(site, story_url(content.STORIES[0].slug))
        password = self._admin_password()
        language = self._language(site, options.get("lang"))
        base = settings.PUBLIC_URL
        self.stdout.write(self.style.SUCCESS(
            f"Demo ready ({loaded} new discussion(s) loaded).\n"
            f"  Front page:  {base}/\n"
            f"  An article:  {story_url(content.STORIES[0].slug)}\n"
            f"  Admin:       {base}/admin/  user '{ADMIN_USERNAME}', password '{password}'\n"
            f"  API docs:    {base}/api/v1/docs\n"
            f"  Language:    {language} (agora demo --lang {' | '.join(sorted(CODES))})\n"
        ))

    def _language(self, site: Site, wanted: str | None) -> str:
        """Without --lang the demo keeps the language it had."""
        if wanted:
            Site.objects.filter(pk=site.pk).update(language=wanted)
            User.objects.filter(username=ADMIN_USERNAME).update(language=wanted)
            return wanted
        return site.language

    def _site(self) -> Site:
        site, _ = Site.objects.get_or_create(
            slug=DEMO_SITE, defaults={"name": "The Agora Chronicle"}
        )
        origin = settings.PUBLIC_URL
        if origin not in site.allowed_origins:
            site.allowed_origins = [*site.allowed_origins, origin]
            site.save(update_fields=["allowed_origins"])
        return site

    @transaction.atomic
    def _story(self, site: Site, story: content.Story) -> bool:
        url = story_url(story.slug)
        if Article.objects.filter(site=site, url=url).exists():
            return False
        article = services.register_article(site, url, title=story.title,
                                            published_at=timezone.now() - timedelta(hours=6))
        clock = [timezone.now() - timedelta(hours=5)]

        def post(thread: content.Thread, parent: Comment | None) -> None:
            result = services.post_comment(
                site=site, url=article.url, body=thread.text, author_name=thread.author,
                actor=services.Actor(reader_id=f"demo-{thread.author}"),
                parent_id=parent.pk if parent else None,
            )
            clock[0] += timedelta(minutes=7)
            comment = result.comment
            if comment is None:
                return
            Comment.objects.filter(pk=comment.pk).update(created_at=clock[0])
            for reply in thread.replies:
                post(reply, comment)

        for thread in story.discussion:
            post(thread, None)
        return True

    def _admin_password(self) -> str:
        password_file = settings.DATA_DIR / "demo-admin-password"
        if password_file.exists() and User.objects.filter(username=ADMIN_USERNAME).exists():
            return password_file.read_text().strip()
        password = secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=ADMIN_USERNAME,
                                             defaults={"email": "admin@localhost"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        password_file.write_text(password)
        password_file.chmod(0o600)
        return password
