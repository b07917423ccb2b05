"""The toxicity model phase: thresholds per label, highlighted spans, the nudge, and the clear
fallback when the model cannot be loaded."""

from __future__ import annotations

import time

import pytest

from agora.comments.models import Article
from agora.moderation import scoring
from agora.moderation.models import Decision
from agora.moderation.pipeline import Submission, moderate
from tests.api_client import post, reader_token
from tests.moderation.conftest import requires_model

pytestmark = pytest.mark.django_db
RUDE = "You are a pathetic idiot and I will find where you live."


@pytest.fixture
def article(site, article_url) -> Article:
    return Article.objects.create(site=site, url=article_url)


def verdict_for(site, article, body):
    return moderate(Submission(site=site, article=article, body=body, author_name="Ana", reader_id="r1"))


@requires_model()
def test_toxic_comment_nudges_with_model_spans_then_holds(site, client, article_url):
    token = reader_token(client)
    nudged = post(client, article_url, RUDE, token)
    assert nudged["result"] == "nudge"
    [reason] = [r for r in nudged["reasons"] if r["rule"] == "toxicity"]
    assert reason["phase"] == "model" and reason["spans"]
    assert all(RUDE[s["start"]:s["end"]] == s["text"] for s in reason["spans"])
    anyway = post(client, article_url, RUDE, token, post_anyway=True)
    assert anyway["result"] == "pending"
    decision = Decision.objects.get(comment_id=anyway["comment"]["id"])
    assert decision.scores["insult"] >= 0.85
    assert "posted_after_nudge" in decision.rules


@requires_model()
def test_thresholds_per_label_decide(site, article, mod_settings):
    assert verdict_for(site, article, "The council's plan is costly but sensible.").status == "approved"
    mod_settings.model_thresholds = {"insult": {"hold": 0.5, "reject": 0.6}}
    mod_settings.save()
    verdict = verdict_for(site, article, RUDE)
    assert verdict.status == "rejected" and not verdict.nudge
    mod_settings.model_thresholds = {"insult": {"hold": 2, "reject": 2}}
    mod_settings.save()
    assert verdict_for(site, article, RUDE).status == "approved"


def test_unavailable_model_annotates_and_holds_nothing(site, article, monkeypatch):
    monkeypatch.setitem(scoring._state, "model", None)
    monkeypatch.setitem(scoring._state, "failed_at", time.monotonic())
    verdict = verdict_for(site, article, RUDE)
    assert verdict.status == "approved"
    assert [(r.phase, r.rule, r.message) for r in verdict.reasons] == [
        ("model", "model_unavailable", "The toxicity model is unavailable; nothing was held for toxicity.")]
