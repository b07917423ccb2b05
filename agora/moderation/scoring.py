"""The toxicity model as the pipeline sees it: scores and spans, or None when it is unavailable
(package missing or artefact unreadable), in which case the pipeline only notes that."""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from agora import toxicity
from agora.modelops.services import GENERATION_KEY, active_model_path, active_version

logger = logging.getLogger(__name__)
# After a failed load, wait before trying again rather than paying for it on every comment.
_RETRY_SECONDS = 60.0
_state: dict[str, Any] = {"model": None, "failed_at": None}


@dataclass(frozen=True)
class Outcome:
    scores: dict[str, float]
    spans: tuple[tuple[int, int, str], ...]
    language: str
    unsupported: bool


@functools.cache
def _shipped_digest() -> str:
    return hashlib.sha256(toxicity.model.DEFAULT_PATH.read_bytes()).hexdigest()[:12]


def model_version(site: Any) -> str:
    """Which model scores the site's comments, as statements of reasons record it."""
    version = active_version(site) or active_version(None)
    if version is not None:
        return f"modelops-{version.pk}"
    return f"shipped-{_shipped_digest()}"


def available() -> bool:
    return _model() is not None


def _model() -> Any:
    if _state["model"] is not None:
        return _state["model"]
    failed_at = _state["failed_at"]
    if failed_at is not None and time.monotonic() - failed_at < _RETRY_SECONDS:
        return None
    try:
        _state["model"] = toxicity.load()
    except Exception:  # any failure means: moderate without the model
        logger.warning("Toxicity model unavailable; comments are moderated without it.", exc_info=True)
        _state["failed_at"] = time.monotonic()
        return None
    return _state["model"]


# A site's active trained model (agora.modelops), re-checked at most this often. The cache key
# carries a generation that every activation or rollback bumps, so a switch applies at once.
_SITE_MODEL_SECONDS = 30


def _site_model_path(site: Any) -> str | None:
    generation = cache.get_or_set(GENERATION_KEY, 0, None)
    key = f"modelops:active-path:{generation}:{getattr(site, 'pk', None)}"
    path = cache.get(key)
    if path is None:
        path = active_model_path(site) or ""
        cache.set(key, path, _SITE_MODEL_SECONDS)
    return path or None


def _model_for(site: Any) -> Any:
    path = _site_model_path(site)
    if path is not None:
        try:
            return toxicity.load(path)
        except Exception:
            logger.warning("Site model %s unreadable; using the shipped model.", path, exc_info=True)
    return _model()


def score(body: str, site: Any = None, spans: bool = True) -> Outcome | None:
    """Scores with the site's active trained model when there is one, else the shipped model.
    Without `spans`, only rule matches are highlighted (cheaper: most comments need none)."""
    model = _model_for(site)
    if model is None:
        return None
    [result] = model.score([body], spans=spans)
    spans = tuple(dict.fromkeys((span.start, span.end, body[span.start:span.end]) for span in result.spans))
    scores = {label: round(float(value), 4) for label, value in result.scores.items()}
    unsupported = bool(getattr(result, "unsupported", False))
    return Outcome(scores, spans, getattr(result, "language", ""), unsupported)
