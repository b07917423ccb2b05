from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs: they register with the task queue and listen to the domain's signals."""

    name = "agora.jobs"
    label = "jobs"

    def ready(self) -> None:
        from agora.comments.signals import comment_changed, comment_posted
        from agora.jobs import receivers
        from agora.moderation.escalation import escalation_started

        comment_posted.connect(receivers.comment_posted, dispatch_uid="jobs-comment-posted")
        comment_changed.connect(receivers.comment_changed, dispatch_uid="jobs-comment-changed")
        escalation_started.connect(receivers.escalation_started,
                                   dispatch_uid="jobs-escalation-started")
