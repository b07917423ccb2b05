from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelopsConfig(AppConfig):
    name = "agora.modelops"
    label = "modelops"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Model versions")
