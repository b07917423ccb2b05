"""Train, activate and roll back per-site toxicity models from moderator decisions.

The moderation workspace stores a moderator's override of the pipeline as a labelled
``Decision`` (``is_label``, ``label`` "toxic"/"ok"); a Coral installation sends its
moderators' approvals and rejections through ``comments:suggestscore`` (``agora.perspective``).
Both adapt the model (``agora.toxicity.decisions.adapt``: a site head on the sentence
embedding); the new version is activated only when it is not worse than the base model on a
held-back quarter of the threads, and only when that quarter holds enough toxic and other
decisions to tell.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from agora.comments.models import Site
from agora.errors import Conflict, InvalidInput
from agora.modelops.models import ModelVersion
from agora.moderation.models import Decision
from agora.perspective.services import site_decisions

MIN_DECISIONS = 20
# Bumped by every activation or rollback: the pipeline's cache keys of site models carry it,
# so a switch applies at once in every process (agora.moderation.scoring).
GENERATION_KEY = "modelops:generation"


def labelled_decisions(site: Site | None) -> list[dict[str, Any]]:
    """Moderator labels as training rows ``{"text", "toxic", "created"}`` (latest label per comment)."""
    labels = Decision.objects.filter(is_label=True, label__in=("toxic", "ok"), comment__is_deleted=False)
    if site is not None:
        labels = labels.filter(comment__site=site)
    latest: dict[int, dict[str, Any]] = {}
    for decision in labels.select_related("comment").order_by("created_at", "pk").iterator():
        latest[decision.comment_id] = {
            "text": decision.comment.body,
            "toxic": int(decision.label == "toxic"),
            "created": decision.created_at.isoformat(),
            # Held-back decisions are whole threads, so one discussion never sits on both sides.
            "thread": str(decision.comment.root_id or decision.comment_id),
        }
    return list(latest.values()) + site_decisions(site)


def active_version(site: Site | None) -> ModelVersion | None:
    return ModelVersion.objects.filter(site=site, active=True).first()


def active_model_path(site: Site | None) -> str | None:
    """The artefact the pipeline should use for ``site``, or None for the shipped model."""
    version = active_version(site) if site is not None else None
    version = version or active_version(None)
    return version.path if version is not None and Path(version.path).exists() else None


def models_dir() -> Path:
    path = Path(settings.DATA_DIR) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def train_from_decisions(site: Site | None) -> ModelVersion:
    """Train a new version from the site's labels; activate it if it is not worse."""
    from agora.toxicity.decisions import DecisionsError, adapt, from_rows

    decisions = from_rows(labelled_decisions(site))
    if len(decisions) < MIN_DECISIONS:
        raise InvalidInput(
            f"Only {len(decisions)} labelled decisions; at least {MIN_DECISIONS} are needed.", field="site"
        )
    parent = active_version(site)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    out = models_dir() / f"{site.slug if site else 'all'}-{stamp}.npz"
    try:
        comparison = adapt(decisions, out, parent.path if parent else None)
    except DecisionsError as exc:
        raise InvalidInput(str(exc), field="site") from exc
    with transaction.atomic():
        version = ModelVersion.objects.create(
            site=site, path=str(out), metrics=asdict(comparison), parent=parent
        )
        if comparison.not_worse:
            _activate(version)
    return version


def rollback(site: Site | None) -> ModelVersion | None:
    """Re-activate the active version's parent (None: back to the shipped model)."""
    current = active_version(site)
    if current is None:
        raise Conflict("No trained model is active for this site; nothing to roll back.")
    with transaction.atomic():
        current.active = False
        current.save(update_fields=["active"])
        parent = current.parent
        if parent is not None:
            _activate(parent)
        else:
            _switched()
    return parent


def _activate(version: ModelVersion) -> None:
    ModelVersion.objects.filter(site=version.site, active=True).exclude(pk=version.pk).update(active=False)
    version.active = True
    version.save(update_fields=["active"])
    _switched()


def _switched() -> None:
    """Tell every process's pipeline to look up the active model again."""
    cache.add(GENERATION_KEY, 0, None)
    cache.incr(GENERATION_KEY)


THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class ThresholdRow:
    """What holding comments at ``threshold`` would have done on this site."""

    threshold: float
    held_share: float  # of all scored comments
    precision: float | None  # of the held comments that moderators labelled, the toxic share
    recall: float | None  # of the comments moderators labelled toxic, the held share
    labelled: int


def threshold_table(site: Site, label: str = "toxicity", thresholds: tuple[float, ...] = THRESHOLDS,
                    limit: int = 20_000) -> list[ThresholdRow]:
    """Per threshold: the share of the site's recent comments the model would hold, and precision and
    recall against the moderators' labels, from the scores the pipeline recorded (no rescoring)."""
    scores: dict[int, float] = {}
    pipeline = (Decision.objects.filter(comment__site=site, source=Decision.Source.PIPELINE)
                .order_by("-created_at").values_list("comment_id", "scores")[:limit])
    for comment_id, recorded in pipeline:
        if isinstance(recorded, dict) and isinstance(recorded.get(label), int | float):
            scores.setdefault(comment_id, float(recorded[label]))
    labels: dict[int, bool] = {}
    for comment_id, value in (Decision.objects.filter(comment__site=site, is_label=True,
                                                      label__in=("toxic", "ok"))
                              .order_by("created_at", "pk").values_list("comment_id", "label")):
        labels[comment_id] = value == "toxic"
    judged = [(scores[c], toxic) for c, toxic in labels.items() if c in scores]
    rows = []
    for t in thresholds:
        held = sum(s >= t for s in scores.values())
        flagged = [toxic for s, toxic in judged if s >= t]
        positives = sum(toxic for _, toxic in judged)
        rows.append(ThresholdRow(
            t,
            round(held / len(scores), 4) if scores else 0.0,
            round(sum(flagged) / len(flagged), 4) if flagged else None,
            round(sum(flagged) / positives, 4) if positives else None,
            len(judged),
        ))
    return rows
