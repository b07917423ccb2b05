from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from agora.infra.queue import enqueue
from agora.jobs.actors import deliver_webhook
from agora.live import webhooks
from agora.live.models import Subscription, Webhook, WebhookDelivery


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("url", "site", "events", "active", "created_at")
    list_filter = ("active", "site")
    actions = ["send_test_event"]

    @admin.action(description="Send a test event")
    def send_test_event(self, request: HttpRequest, queryset: QuerySet[Webhook]) -> None:
        sent = 0
        for hook in queryset:
            payload = {"message": "A test event from Agora.", "webhook": hook.pk}
            for delivery_id in webhooks.create_deliveries(hook.site_id, "webhook.test", payload,
                                                          webhooks=[hook]):
                enqueue(deliver_webhook, delivery_id)
                sent += 1
        self.message_user(request, f"{sent} test event(s) queued: see the delivery log.",
                          messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "webhook", "status", "attempts", "response_status", "created_at",
                    "next_attempt_at")
    list_filter = ("status", "event")
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("email", "comment", "user", "active", "created_at")
    list_filter = ("active",)
    raw_id_fields = ("comment", "user")
