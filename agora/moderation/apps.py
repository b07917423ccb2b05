from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from agora.moderation import signals  # noqa: F401 (connects the receivers)
