"""The demo newspaper's DSA records: one open notice, and a held comment whose author appealed,
so the notice queue, a statement of reasons and the complaint queue all have something to show."""

from __future__ import annotations

from django.db import transaction

from agora.comments import services
from agora.comments.models import Comment, Site
from agora.dsa import appeals, links, notices
from agora.dsa.models import Category, Notice, Statement

LINK_COMMENT = "The full timetable comparison is here: https://ferry-facts.example/timetable"


@transaction.atomic
def seed(site: Site, article_url: str) -> bool:
    """Load the records once; False when they are there already."""
    if Notice.objects.filter(site=site).exists():
        return False
    published = Comment.objects.filter(site=site, status=Comment.Status.APPROVED, depth=0)
    reported = published.order_by("pk").first()
    if reported is None:
        return False
    notices.submit(notices.NoticeForm(
        reported.pk, Category.ILLEGAL_OR_HARMFUL_SPEECH,
        "The comment accuses a named councillor of taking bribes, without any evidence: defamation.",
        "Nora Example", "nora@example.org", True), services.Actor(reader_id="demo-notifier"))
    # A link from a first-time commenter is held for review: an automated decision with a statement.
    held = services.post_comment(site=site, url=article_url, body=LINK_COMMENT, author_name="Linus",
                                 actor=services.Actor(reader_id="demo-Linus")).comment
    statement = Statement.objects.filter(comment=held).first() if held is not None else None
    if statement is not None:
        key = links.party_key(links.AUTHOR, statement.puid)
        appeals.file_for_statement(statement, services.Actor(), key=key,
                                   text="This links to the public ferry timetable, it is not advertising.")
    return True
