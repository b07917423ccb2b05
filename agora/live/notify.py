"""E-mail: reply notifications to subscribers, digests and alerts to moderators.

Only the worker calls these (never a request): SMTP may be slow or down.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agora.accounts.models import User
from agora.comments.models import Article, Comment, Site
from agora.live.models import ModeratorDigest, SentMail, Subscription
from agora.live.tokens import confirmation_token, unsubscribe_token


def _absolute(path: str) -> str:
    return f"{settings.PUBLIC_URL}{path}"


def _unsubscribe_headers(url: str) -> dict[str, str]:
    # RFC 8058 one-click unsubscribe: mail clients POST to the link.
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def reply_recipients(reply: Comment) -> list[Subscription]:
    """Active subscriptions to the parent comment or to its author's account, one per address,
    never the reply's own author."""
    parent = reply.parent
    if parent is None:
        return []
    wanted = Q(comment=parent)
    if parent.author_id:
        wanted |= Q(user_id=parent.author_id, comment__isnull=True)
    recipients: dict[str, Subscription] = {}
    verified = Subscription.objects.filter(wanted, active=True, verified_at__isnull=False)
    for subscription in verified.order_by("pk"):
        own_reply = reply.author_id and subscription.user_id == reply.author_id
        if not own_reply and subscription.email.lower() != (reply.author_email or "").lower():
            recipients.setdefault(subscription.email.lower(), subscription)
    return list(recipients.values())


def send_reply_notifications(comment_id: int) -> int:
    reply = Comment.objects.select_related("parent", "article", "site").filter(pk=comment_id).first()
    if reply is None or reply.status != Comment.Status.APPROVED or reply.is_deleted:
        return 0
    messages = []
    cap = settings.REPLY_MAILS_PER_ADDRESS_PER_DAY
    for subscription in reply_recipients(reply):
        if sent_today(subscription.email, SentMail.Kind.REPLY) >= cap:
            continue  # the address had its day's share: the replies wait in the thread
        unsubscribe = _absolute(reverse("live-unsubscribe",
                                        args=[unsubscribe_token(subscription.pk, subscription.email)]))
        body = (f"{reply.author_name} replied to your comment on “{reply.article}”:\n\n"
                f"{reply.body}\n\nRead the thread: {_absolute(f'/c/{reply.pk}')}\n\n"
                f"Stop these e-mails with one click: {unsubscribe}\n")
        # The subject is ours alone: author names and titles are chosen by whoever posts.
        messages.append(EmailMessage(
            subject=f"[{reply.site.name}] New reply to your comment", body=body, to=[subscription.email],
            headers=_unsubscribe_headers(unsubscribe)))
    if messages:
        get_connection().send_messages(messages)
        SentMail.objects.bulk_create([SentMail(email=m.to[0].lower(), kind=SentMail.Kind.REPLY)
                                      for m in messages])
    return len(messages)


def sent_today(email: str, kind: str) -> int:
    since = timezone.now() - timedelta(days=1)
    return SentMail.objects.filter(email=email.lower(), kind=kind, created_at__gte=since).count()


def send_subscription_confirmation(subscription_id: int) -> int:
    """The double opt-in mail: replies go to an address only after its owner confirms."""
    subscription = (Subscription.objects.select_related("comment__site", "comment__article")
                    .filter(pk=subscription_id, verified_at__isnull=True, active=True).first())
    if subscription is None or subscription.comment is None:
        return 0
    site = subscription.comment.site
    link = _absolute(reverse("live-confirm", args=[confirmation_token(subscription.pk, subscription.email)]))
    body = (f"Someone asked {site.name} to e-mail {subscription.email} when a reader replies to a "
            f"comment on “{subscription.comment.article}”.\n\nConfirm with one click: {link}\n\n"
            "If it was not you, ignore this e-mail: nothing will be sent without confirmation.\n")
    # Counted against the address's daily cap when it was queued (`subscriptions.subscribe`).
    EmailMessage(subject=f"[{site.name}] Confirm reply notifications", body=body,
                 to=[subscription.email]).send()
    return 1


def moderator_addresses(site: Site) -> list[str]:
    users = User.objects.filter(Q(site_roles__site=site) | Q(is_superuser=True), is_active=True)
    return sorted({user.email for user in users if user.email})


def send_moderator_digest(site_id: int) -> int:
    """The comments held since the last digest, in one e-mail to the site's moderators."""
    site = Site.objects.get(pk=site_id)
    now = timezone.now()
    mark, _ = ModeratorDigest.objects.get_or_create(site=site, defaults={"last_sent_at": site.created_at})
    held = list(Comment.objects.filter(site=site, status=Comment.Status.PENDING,
                                       created_at__gt=mark.last_sent_at, created_at__lte=now)
                .select_related("article").order_by("created_at")[:200])
    recipients = moderator_addresses(site)
    if not held or not recipients:
        return 0
    lines = [f"- {c.author_name} on “{c.article}”: {c.body[:200]}" for c in held]
    body = (f"{len(held)} comment(s) are waiting for review on {site.name}:\n\n" + "\n".join(lines)
            + f"\n\nReview them: {_absolute('/moderate/')}\n")
    EmailMessage(subject=f"[{site.name}] {len(held)} comment(s) held for review", body=body,
                 to=recipients).send()
    ModeratorDigest.objects.filter(pk=mark.pk).update(last_sent_at=now)
    return len(held)


def send_escalation_alert(article_id: int, reason: str) -> int:
    article = Article.objects.select_related("site").get(pk=article_id)
    recipients = moderator_addresses(article.site)
    if not recipients:
        return 0
    body = (f"The discussion on “{article}” was escalated: {reason}\n\n{article.url}\n\n"
            f"Moderation workspace: {_absolute('/moderate/')}\n")
    EmailMessage(subject=f"[{article.site.name}] Escalated: {article}", body=body,
                 to=recipients).send()
    return len(recipients)
