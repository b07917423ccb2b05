from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "agora.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        from agora.moderation import signals  # noqa: F401 (connects the receivers)
