from django.apps import AppConfig


class DsaConfig(AppConfig):
    name = "agora.dsa"
    label = "dsa"
    verbose_name = "Digital Services Act"

    def ready(self) -> None:
        from agora.dsa import signals  # noqa: F401 (connects the receivers)
