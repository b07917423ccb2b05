"""Per-site models trained from moderators' labelled decisions: train, activate, roll back, use."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agora.comments.models import Article, Comment, Site
from agora.modelops import services
from agora.modelops.models import ModelVersion
from agora.moderation import scoring
from agora.moderation.models import Decision

# Site-specific abuse the shipped model knows little about, and ordinary comments.
TOXIC = [
    "the harbour board are a pack of clueless clowns number {i}",
    "typical councillor {i}, a spineless weasel as always",
    "clowns and weasels run this town, reader {i}",
]
FINE = [
    "the harbour board meeting {i} was well reported",
    "thanks for covering council session {i} so carefully",
    "I disagree with point {i} but it is a fair article",
]


def _labelled(site: Site, body: str, label: str) -> Decision:
    article, _ = Article.objects.get_or_create(site=site, url="https://news.example/harbour")
    comment = Comment.objects.create(
        site=site, article=article, body=body, body_html=f"<p>{body}</p>", author_name="Reader",
        status=Comment.Status.APPROVED, created_at=timezone.now(),
    )
    comment.path = Comment.path_segment(comment.pk)
    comment.root_id = comment.pk
    comment.save(update_fields=["path", "root"])
    status = "rejected" if label == "toxic" else "approved"
    return Decision.objects.create(comment=comment, status=status, source=Decision.Source.MODERATOR,
                                   is_label=True, label=label)


@pytest.fixture
def decisions(site: Site, settings, tmp_path: Path) -> Site:
    settings.DATA_DIR = tmp_path
    # Enough for the held-back quarter of threads to hold ten toxic and ten other decisions.
    for i in range(24):
        for template in TOXIC:
            _labelled(site, template.format(i=i), "toxic")
        for template in FINE:
            _labelled(site, template.format(i=i), "ok")
    return site


def test_labelled_decisions_are_exported_with_the_latest_label(decisions: Site) -> None:
    rows = services.labelled_decisions(decisions)
    assert len(rows) == 144
    assert sum(r["toxic"] for r in rows) == 72
    comment = Comment.objects.filter(site=decisions, body__startswith="the harbour board meeting").first()
    Decision.objects.create(comment=comment, status="rejected", source=Decision.Source.MODERATOR,
                            is_label=True, label="toxic")
    relabelled = {r["text"]: r["toxic"] for r in services.labelled_decisions(decisions)}
    assert len(relabelled) == 144 and relabelled[comment.body] == 1


def test_train_activates_a_not_worse_model_and_rollback_restores_the_shipped_one(
    decisions: Site, tmp_path: Path
) -> None:
    call_command("train_from_decisions", "--site", decisions.slug)
    version = ModelVersion.objects.get(site=decisions)
    assert version.active and version.parent is None
    assert Path(version.path).parent == tmp_path / "models" and Path(version.path).exists()
    assert version.metrics["decisions_train"] + version.metrics["decisions_eval"] == 144
    assert services.active_model_path(decisions) == version.path

    call_command("train_from_decisions", "--site", decisions.slug)
    newer = ModelVersion.objects.filter(site=decisions).first()
    assert newer.parent == version
    assert newer.active == newer.metrics["not_worse"]

    if newer.active:
        call_command("train_from_decisions", "--site", decisions.slug, "--rollback")
        assert services.active_model_path(decisions) == version.path
    call_command("train_from_decisions", "--site", decisions.slug, "--rollback")
    assert services.active_model_path(decisions) is None
    with pytest.raises(CommandError, match="nothing to roll back"):
        call_command("train_from_decisions", "--site", decisions.slug, "--rollback")


def test_the_pipeline_scores_with_the_sites_active_model(decisions: Site) -> None:
    text = "the water board are a pack of clueless clowns"
    before = scoring.score(text, site=decisions).scores["toxicity"]
    call_command("train_from_decisions", "--site", decisions.slug)
    after = scoring.score(text, site=decisions).scores["toxicity"]
    assert after > before
    other = Site.objects.create(slug="other", name="Other")
    assert scoring.score(text, site=other).scores["toxicity"] == pytest.approx(before)


def test_too_few_decisions_is_a_clear_error(site: Site) -> None:
    _labelled(site, "a pack of clowns", "toxic")
    with pytest.raises(CommandError, match="at least 20"):
        call_command("train_from_decisions", "--site", site.slug)


def test_unknown_site_is_a_clear_error(db) -> None:
    with pytest.raises(CommandError, match="No site"):
        call_command("train_from_decisions", "--site", "nope")


def test_agora_model_train_from_decisions_routes_to_the_command(monkeypatch) -> None:
    # The command itself is exercised above; running Django's CLI in-process would close the
    # test database connection, so only the routing is checked here.
    import django.core.management

    from agora.cli import main

    seen: list[list[str]] = []
    monkeypatch.setattr(django.core.management, "execute_from_command_line", seen.append)
    assert main(["model", "train", "--from-decisions", "--site", "chronicle"]) == 0
    assert seen == [["agora", "train_from_decisions", "--site", "chronicle"]]


def test_threshold_table_shows_held_share_precision_and_recall(site: Site) -> None:
    from agora.modelops.display import threshold_table_html

    cases = [(0.95, "toxic"), (0.85, "ok"), (0.55, "toxic"), (0.2, "ok"), (0.1, "")]
    for i, (score, label) in enumerate(cases):
        decision = _labelled(site, f"comment {i}", label or "ok")
        Decision.objects.create(comment=decision.comment, status="approved", source=Decision.Source.PIPELINE,
                                scores={"toxicity": score})
        if not label:
            decision.delete()  # scored by the pipeline but never labelled
    rows = {r.threshold: r for r in services.threshold_table(site)}
    assert rows[0.5].held_share == 0.6 and rows[0.5].labelled == 4
    assert rows[0.5].precision == pytest.approx(2 / 3, abs=1e-3) and rows[0.5].recall == 1.0
    assert rows[0.9].precision == 1.0 and rows[0.9].recall == 0.5
    html = threshold_table_html(site)
    assert "<td>0.5</td><td>60%</td><td>67%</td><td>100%</td>" in html
