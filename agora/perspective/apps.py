from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerspectiveConfig(AppConfig):
    name = "agora.perspective"
    label = "perspective"
    verbose_name = _("Perspective-compatible API")
