from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"

    def ready(self) -> None:
        from agora.accounts import signals  # noqa: F401 (connects the receivers)
