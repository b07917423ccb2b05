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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agora.accounts.models import User
from agora.comments.models import Article, Comment, Site
from agora.i18n.recipients import speaking
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
        with speaking(subscription.user, reply.site):
            body = _("%(author)s replied to your comment on “%(article)s”:\n\n%(reply)s\n\n"
                     "Read the thread: %(link)s\n\nStop these e-mails with one click: %(unsubscribe)s\n") % {
                "author": reply.author_name, "article": reply.article, "reply": reply.body,
                "link": _absolute(f"/c/{reply.pk}"), "unsubscribe": unsubscribe}
            # The subject is ours alone: author names and titles are chosen by whoever posts.
            subject = f"[{reply.site.name}] {_('Reply notifications')}"
        messages.append(EmailMessage(subject=subject, body=body, to=[subscription.email],
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
    return sorted({user.email for user in _moderators(site)})


def _moderators(site: Site) -> list[User]:
    users = User.objects.filter(Q(site_roles__site=site) | Q(is_superuser=True), is_active=True).distinct()
    return [user for user in users.order_by("pk") if user.email]


def _by_language(site: Site) -> dict[str, list[str]]:
    """The site's moderators' addresses grouped by the language each reads (one e-mail each)."""
    groups: dict[str, list[str]] = {}
    for user in _moderators(site):
        groups.setdefault(user.language, []).append(user.email)
    return {language: sorted(set(emails)) for language, emails in groups.items()}


def _send_to_moderators(site: Site, write) -> int:
    """One e-mail per language of the site's moderators; `write()` gives (subject, body) in the
    active language. Returns how many addresses were written to."""
    sent = 0
    for language, emails in _by_language(site).items():
        with speaking(language, site):
            subject, body = write()
        EmailMessage(subject=subject, body=body, to=emails).send()
        sent += len(emails)
    return sent


def send_moderator_digest(site_id: int) -> int:
    """The comments held since the last digest, in one e-mail to the site's moderators."""
    site = Site.objects.get(pk=site_id)
    now = timezone.now()
    mark, _created = ModeratorDigest.objects.get_or_create(site=site,
                                                           defaults={"last_sent_at": site.created_at})
    held = list(Comment.objects.filter(site=site, status=Comment.Status.PENDING,
                                       created_at__gt=mark.last_sent_at, created_at__lte=now)
                .select_related("article").order_by("created_at")[:200])
    if not held or not moderator_addresses(site):
        return 0

    def write() -> tuple[str, str]:
        values = {"count": len(held), "site": site.name}
        line = _("- %(author)s on “%(article)s”: %(excerpt)s")
        lines = [line % {"author": c.author_name, "article": c.article, "excerpt": c.body[:200]}
                 for c in held]
        body = (ngettext("%(count)d comment is waiting for review on %(site)s:",
                         "%(count)d comments are waiting for review on %(site)s:", len(held)) % values
                + "\n\n" + "\n".join(lines) + "\n\n"
                + _("Review them: %(link)s") % {"link": _absolute("/moderate/")} + "\n")
        subject = ngettext("[%(site)s] %(count)d comment held for review",
                           "[%(site)s] %(count)d comments held for review", len(held)) % values
        return subject, body

    _send_to_moderators(site, write)
    ModeratorDigest.objects.filter(pk=mark.pk).update(last_sent_at=now)
    return len(held)


def send_escalation_alert(article_id: int, reason: str) -> int:
    article = Article.objects.select_related("site").get(pk=article_id)

    def write() -> tuple[str, str]:
        body = _("The discussion on “%(article)s” was escalated: %(reason)s\n\n%(url)s\n\n"
                 "Moderation workspace: %(link)s\n") % {
            "article": article, "reason": reason, "url": article.url, "link": _absolute("/moderate/")}
        return _("[%(site)s] Escalated: %(article)s") % {"site": article.site.name, "article": article}, body

    return _send_to_moderators(article.site, write)
