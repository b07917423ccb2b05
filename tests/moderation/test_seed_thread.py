"""The seed check: a heated political thread in the style of an unmoderated news comment section.
With default settings every comment a newsroom moderator would remove is held or rejected with a
reason a moderator can read, and ordinary (even sharp) disagreement is approved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agora.comments.models import Article
from agora.moderation.pipeline import APPROVED, Submission, moderate
from tests.moderation.conftest import post_direct

pytestmark = pytest.mark.django_db
THREAD = json.loads((Path(__file__).parent / "fixtures" / "heated_thread.json").read_text())
DECISIVE_RULES = {"banned_word", "suspect_word", "banned_name", "suspect_name", "toxicity"}


@pytest.fixture
def story(site) -> Article:
    return Article.objects.create(site=site, url=THREAD["story"]["url"], title=THREAD["story"]["title"])


@pytest.mark.parametrize("entry", THREAD["comments"], ids=lambda entry: entry["author"])
def test_each_comment_gets_the_newsroom_outcome(site, story, entry):
    verdict = moderate(Submission(site=site, article=story, body=entry["body"], author_name=entry["author"],
                                  reader_id=f"seed-{entry['author']}"))
    if entry["expected"] == "keep":
        assert (verdict.status, verdict.nudge) == (APPROVED, False), verdict.reasons
        return
    assert verdict.status != APPROVED or verdict.nudge, entry["note"]
    readable = [r for r in verdict.reasons if r.rule in DECISIVE_RULES and r.message]
    assert readable, verdict.reasons
    for reason in readable:
        for start, end, text in reason.spans:
            assert entry["body"][start:end] == text


def test_the_thread_escalates_to_premoderation_as_it_turns(site, story):
    outcomes = []
    for entry in THREAD["comments"]:
        result = post_direct(site, story.url, entry["body"], reader=f"seed-{entry['author']}",
                             name=entry["author"], ignore_nudge=True)
        outcomes.append((entry["expected"], result.comment.status))
    story.refresh_from_db()
    assert story.premoderate
    first_escalated = next(i for i, (_, status) in enumerate(outcomes)
                           if any(r["rule"] == "article_premoderated" for r in
                                  story.comments.order_by("pk")[i].decisions.get().reasons))
    before = outcomes[:first_escalated]
    assert all(status != APPROVED for expected, status in before if expected == "remove")
    assert all(status == APPROVED for expected, status in before if expected == "keep")
    assert all(status != APPROVED for _, status in outcomes[first_escalated:])
