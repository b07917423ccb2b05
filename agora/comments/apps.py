from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "agora.comments"
    label = "comments"

    def ready(self) -> None:
        from agora.comments import receivers  # noqa: F401  (connects receivers)
