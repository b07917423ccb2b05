from django.apps import AppConfig


class ModelopsConfig(AppConfig):
    name = "agora.modelops"
    label = "modelops"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Model versions"
