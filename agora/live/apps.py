from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "agora.live"
    label = "live"
    verbose_name = _("Live updates and e-mail")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from agora.live import tasks  # noqa: F401  (configures the task broker)
        from agora.live.models import Webhook
        from agora.live.reactions import forget_site_webhooks

        def forget(sender, instance: Webhook, **kwargs) -> None:
            forget_site_webhooks(instance.site_id)

        # weak=False: `forget` is local to this method and would be collected otherwise.
        post_save.connect(forget, sender=Webhook, weak=False, dispatch_uid="live-webhook-saved")
        post_save.connect(_escalation_started, sender="moderation.Escalation", weak=False,
                          dispatch_uid="live-escalation-started")
        post_delete.connect(forget, sender=Webhook, weak=False, dispatch_uid="live-webhook-deleted")


def _escalation_started(sender, instance, created: bool, **kwargs) -> None:
    """A new escalation (moderation) → `article.escalated` webhooks and an alert e-mail."""
    if not created:
        return
    from agora.live import events

    stats = instance.trigger_stats or {}
    details = ", ".join(f"{name} {value}" for name, value in stats.items()
                        if name in {"trigger", "comments", "held", "rejected", "hold_rate"})
    events.article_escalated(instance.article, f"escalated to pre-moderation ({details})"
                             if details else "escalated to pre-moderation")
