from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "agora.accounts"
    label = "accounts"
