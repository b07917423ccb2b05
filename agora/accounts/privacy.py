"""GDPR: data export, account deletion after a grace period, erasure of old IP hashes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from agora.accounts.models import SiteAuthSettings, User
from agora.comments import services as comment_services
from agora.comments.models import Article, Comment, Vote

DELETED_AUTHOR_NAME = "[deleted account]"


def export_user_data(user: User) -> dict:
    """Everything Agora stores about a user, as JSON-ready data."""
    comments = (Comment.objects.filter(author=user).select_related("site", "article")
                .order_by("created_at"))
    voter = f"user:{user.pk}"
    return {
        "format": "agora-export-1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk, "username": user.username, "email": user.email,
            "email_verified": user.email_verified, "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "single_sign_on_site": user.sso_site.slug if user.sso_site else None,
            "deletion_requested_at": (user.deletion_requested_at.isoformat()
                                      if user.deletion_requested_at else None),
            "roles": [{"site": role.site.slug, "role": role.role}
                      for role in user.site_roles.select_related("site")],
        },
        "comments": [{
            "id": c.pk, "site": c.site.slug, "article_url": c.article.url, "parent": c.parent_id,
            "author_name": c.author_name, "author_email": c.author_email, "body": c.body,
            "status": c.status, "deleted": c.is_deleted, "created_at": c.created_at.isoformat(),
            "edited_at": c.edited_at.isoformat() if c.edited_at else None,
            "upvotes": c.upvotes, "downvotes": c.downvotes, "ip_hash": c.ip_hash,
            "network_hash": c.network_hash,
        } for c in comments],
        "votes": [{"comment": v.comment_id, "value": v.value, "created_at": v.created_at.isoformat()}
                  for v in Vote.objects.filter(voter=voter).order_by("created_at")],
    }


def request_deletion(user: User) -> datetime:
    """Schedule deletion and log out everywhere; logging in again during the grace period
    cancels it. Returns when the deletion becomes due."""
    now = timezone.now()
    User.objects.filter(pk=user.pk).update(deletion_requested_at=now,
                                          session_version=F("session_version") + 1)
    return now + timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)


def complete_deletion(user: User) -> dict[str, int]:
    """Delete the account now; its comments are anonymised or removed per site policy."""
    removing_sites = set(SiteAuthSettings.objects.filter(
        deletion_policy=SiteAuthSettings.DeletionPolicy.REMOVE).values_list("site_id", flat=True))
    with transaction.atomic():
        comments = Comment.objects.filter(author=user)
        article_ids = set(comments.values_list("article_id", flat=True))
        scrubbed = {"author": None, "author_name": DELETED_AUTHOR_NAME, "author_email": "",
                    "reader_id": "", "ip_hash": "", "network_hash": ""}
        # Deepest first, so a parent is judged by the replies it keeps.
        removing = list(comments.filter(site_id__in=removing_sites).order_by("-depth").select_for_update())
        removed = comments.filter(site_id__in=removing_sites).update(
            **scrubbed, is_deleted=True, body="", body_html="")
        for comment in removing:
            comment.refresh_from_db(fields=["reply_count"])
            comment_services.stop_counting(comment)
        anonymised = comments.update(**scrubbed)
        Vote.objects.filter(voter=f"user:{user.pk}").update(voter=f"deleted:{user.pk}")
        # Every thread that showed the name must be rebuilt (version is part of the cache key).
        Article.objects.filter(pk__in=article_ids).update(version=F("version") + 1)
        user.delete()
    return {"comments_removed": removed, "comments_anonymised": anonymised}


def purge_due_deletions(now: datetime | None = None) -> list[int]:
    """Complete the deletions whose grace period is over; returns the deleted user ids."""
    due = (now or timezone.now()) - timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)
    deleted = []
    for user in User.objects.filter(deletion_requested_at__lte=due):
        deleted.append(user.pk)
        complete_deletion(user)
    return deleted


def prune_ip_hashes(now: datetime | None = None) -> int:
    """Erase the IP hashes of comments older than their site's retention period."""
    now = now or timezone.now()
    custom = dict(SiteAuthSettings.objects.values_list("site_id", "ip_retention_days"))
    erased = 0
    for site_id, days in custom.items():
        erased += Comment.objects.filter(site_id=site_id, created_at__lt=now - timedelta(days=days)) \
            .exclude(ip_hash="", network_hash="").update(ip_hash="", network_hash="")
    default_cutoff = now - timedelta(days=settings.IP_RETENTION_DAYS)
    erased += Comment.objects.filter(~Q(site_id__in=custom.keys()), created_at__lt=default_cutoff) \
        .exclude(ip_hash="", network_hash="").update(ip_hash="", network_hash="")
    return erased
