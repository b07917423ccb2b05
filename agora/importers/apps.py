from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "agora.importers"
    label = "importers"
