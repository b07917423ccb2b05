from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "agora.live"
    label = "live"
    verbose_name = _("Live updates and e-mail")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from agora.comments.signals import comment_changed, comment_posted
        from agora.live import reactions
        from agora.live.models import Webhook
        from agora.live.webhooks import forget_site_webhooks

        def forget(sender, instance: Webhook, **kwargs) -> None:
            forget_site_webhooks(instance.site_id)

        # weak=False: `forget` is local to this method and would be collected otherwise.
        post_save.connect(forget, sender=Webhook, weak=False, dispatch_uid="live-webhook-saved")
        post_delete.connect(forget, sender=Webhook, weak=False, dispatch_uid="live-webhook-deleted")
        comment_posted.connect(reactions.on_comment_posted, dispatch_uid="live-comment-posted")
        comment_changed.connect(reactions.on_comment_changed, dispatch_uid="live-comment-changed")
