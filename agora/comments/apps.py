from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "agora.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from agora.comments import receivers  # noqa: F401  (connects receivers)
