from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "agora.live"
    label = "live"
