"""Perspective API (``comments:analyze``) compatibility, framework-free.

``analyze(model, request)`` takes the decoded JSON body of an AnalyzeComment
request and returns the decoded JSON response, so a client written for
Perspective (e.g. Coral, which sends ``comment.text``, ``doNotStore``,
``requestedAttributes: {ATTR: {}}`` and ``languages``) can point at Agora.
Bad requests raise :class:`PerspectiveError`; ``to_dict()`` gives Google's error
object and ``status`` the HTTP status to send.

Differences from Google's service, on purpose: nothing is ever stored (so
``doNotStore`` is accepted and ignored); span offsets are Unicode code point
offsets into ``comment.text``; spans are the model's toxic words or phrases, not
sentences. ``suggestions`` turns a ``comments:suggestscore`` body (which Coral
sends on moderation decisions) into moderator judgements, ``suggest_response``
answers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .lang import SUPPORTED, detect
from .model import Model
from .text import clean

ATTRIBUTES = {
    "TOXICITY": "toxicity",
    "SEVERE_TOXICITY": "severe_toxicity",
    "IDENTITY_ATTACK": "identity_attack",
    "INSULT": "insult",
    "PROFANITY": "profanity",
    "THREAT": "threat",
    "SEXUALLY_EXPLICIT": "sexually_explicit",
}
MAX_TEXT_BYTES = 20_480  # Perspective's documented limit
_STATUS = {
    400: "INVALID_ARGUMENT",
    404: "NOT_FOUND",
    413: "INVALID_ARGUMENT",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


@dataclass
class PerspectiveError(Exception):
    """A Google-style API error (``status`` is the HTTP status code)."""

    status: int
    message: str
    reason: str = "INVALID_ARGUMENT"
    error_type: str | None = None

    def __str__(self) -> str:
        return f"{self.status} {self.reason}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.status, "message": self.message, "status": self.reason}
        if self.error_type:
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error",
                    "errorType": self.error_type,
                }
            ]
        return {"error": error}


def _bad(message: str, error_type: str | None = None) -> PerspectiveError:
    return PerspectiveError(400, message, "INVALID_ARGUMENT", error_type)


def _attribute_key(name: object) -> str:
    if not isinstance(name, str):
        raise _bad("Attribute names must be strings.")
    base = name.upper().removesuffix("_EXPERIMENTAL")
    if base not in ATTRIBUTES:
        raise _bad(f"Unknown attribute: {name}", "ATTRIBUTE_NOT_SUPPORTED")
    return base


def _parse_attributes(raw: object) -> dict[str, tuple[str, float | None]]:
    if not isinstance(raw, dict) or not raw:
        raise _bad("requestedAttributes must be a non-empty object.")
    out: dict[str, tuple[str, float | None]] = {}
    for name, spec in raw.items():
        base = _attribute_key(name)
        spec = spec or {}
        if not isinstance(spec, dict):
            raise _bad(f"Attribute {name} options must be an object.")
        score_type = spec.get("scoreType", "PROBABILITY")
        if score_type not in ("PROBABILITY", "", None):
            raise _bad(f"Unsupported scoreType: {score_type}")
        threshold = spec.get("scoreThreshold")
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1
        ):
            raise _bad("scoreThreshold must be a number between 0 and 1.")
        out[name] = (base, None if threshold is None else float(threshold))
    return out


def _parse_text(request: dict[str, Any]) -> str:
    comment = request.get("comment")
    if not isinstance(comment, dict):
        raise _bad("comment must be an object with a text field.")
    text = comment.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _bad("Comment must be non-empty.", "COMMENT_EMPTY")
    if comment.get("type", "PLAIN_TEXT") != "PLAIN_TEXT":
        raise _bad("Only PLAIN_TEXT comments are supported.")
    if len(text.encode("utf-8", errors="surrogatepass")) > MAX_TEXT_BYTES:
        raise _bad(f"Comment text too long (max {MAX_TEXT_BYTES} bytes).", "COMMENT_TOO_LONG")
    return text


def _languages(request: dict[str, Any], text: str) -> tuple[list[str], list[str]]:
    detected = [detect(clean(text))]
    requested = request.get("languages")
    if requested in (None, []):
        languages = detected
    elif isinstance(requested, list) and all(isinstance(x, str) for x in requested):
        languages = [x.split("-")[0].lower() for x in requested]
    else:
        raise _bad("languages must be a list of language codes.")
    unsupported = [x for x in languages if x not in SUPPORTED]
    if unsupported:
        raise _bad(
            f"Attribute does not support request languages: {', '.join(unsupported)}",
            "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        )
    return languages, detected


def analyze(model: Model, request: dict[str, Any]) -> dict[str, Any]:
    """Answer a Perspective AnalyzeComment request with ``model``."""
    if not isinstance(request, dict):
        raise _bad("Request body must be a JSON object.")
    text = _parse_text(request)
    attributes = _parse_attributes(request.get("requestedAttributes"))
    languages, detected = _languages(request, text)
    with_spans = bool(request.get("spanAnnotations", False))
    result = model.score_one(text)
    scores: dict[str, Any] = {}
    for name, (base, threshold) in attributes.items():
        value = result.scores[ATTRIBUTES[base]]
        if threshold is not None and value < threshold:
            continue
        entry: dict[str, Any] = {"summaryScore": {"value": value, "type": "PROBABILITY"}}
        if with_spans:
            entry["spanScores"] = [
                {"begin": s.start, "end": s.end, "score": {"value": s.weight, "type": "PROBABILITY"}}
                for s in result.spans
            ]
        scores[name] = entry
    response: dict[str, Any] = {
        "attributeScores": scores,
        "languages": languages,
        "detectedLanguages": detected,
    }
    if isinstance(request.get("clientToken"), str):
        response["clientToken"] = request["clientToken"]
    return response


@dataclass(frozen=True)
class Suggestion:
    """One moderator judgement from a ``comments:suggestscore`` request."""

    text: str
    label: str  # our attribute name
    toxic: int
    client_token: str
    community_id: str


def suggestions(request: dict[str, Any]) -> list[Suggestion]:
    """A ``comments:suggestscore`` body → one judgement per attribute (score >= 0.5 is
    toxic). Coral sends ``summaryScore`` 0 or 1 when a moderator approves or rejects."""
    text = _parse_text(request)
    scores = request.get("attributeScores")
    if not isinstance(scores, dict) or not scores:
        raise _bad("attributeScores must be a non-empty object.")
    token = request.get("clientToken", "")
    community = request.get("communityId", "")
    if not isinstance(token, str) or not isinstance(community, str):
        raise _bad("clientToken and communityId must be strings.")
    out = []
    for name, entry in scores.items():
        key = _attribute_key(name)
        summary = entry.get("summaryScore") if isinstance(entry, dict) else None
        value = summary.get("value") if isinstance(summary, dict) else None
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 1:
            raise _bad(f"{name}.summaryScore.value must be a number from 0 to 1.")
        out.append(Suggestion(text, ATTRIBUTES[key], int(value >= 0.5), token[:200], community[:200]))
    return out


def suggest_response(request: dict[str, Any]) -> dict[str, Any]:
    """Perspective's SuggestCommentScore response."""
    text = _parse_text(request)
    languages = request.get("languages") if isinstance(request.get("languages"), list) else []
    response: dict[str, Any] = {"detectedLanguages": [detect(clean(text))], "requestedLanguages": languages}
    if isinstance(request.get("clientToken"), str):
        response["clientToken"] = request["clientToken"]
    return response
