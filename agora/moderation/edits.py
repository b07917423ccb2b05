"""What an author's edit may change about a comment's status.

An edit is moderated like a new comment, but it never undoes a decision: a comment that is held
(by the pipeline, by reader flags or by a moderator) or rejected stays out of view after an edit,
and no edit lowers the status below what a moderator last set. Such an edit goes back to the
queue with a reason that says so and the word-level difference from the text before.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from typing import Any

from agora.comments.models import Comment
from agora.moderation.models import Decision
from agora.moderation.verdicts import APPROVED, PENDING, REJECTED, Reason, Verdict

_STRENGTH = {APPROVED: 0, PENDING: 1, REJECTED: 2}
_WORDS = re.compile(r"\s+|[^\s]+")
MAX_DIFF_CHARS = 20_000


@dataclass(frozen=True)
class EditReason(Reason):
    # [{"op": "equal" | "insert" | "delete", "text": ...}], the edit word by word.
    diff: tuple[dict[str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "diff": list(self.diff)}


def word_diff(before: str, after: str) -> tuple[dict[str, str], ...]:
    old, new = _WORDS.findall(before[:MAX_DIFF_CHARS]), _WORDS.findall(after[:MAX_DIFF_CHARS])
    parts: list[dict[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append({"op": "delete", "text": "".join(old[i1:i2])})
        if op in ("insert", "replace"):
            parts.append({"op": "insert", "text": "".join(new[j1:j2])})
        if op == "equal":
            parts.append({"op": "equal", "text": "".join(old[i1:i2])})
    return tuple(parts)


def _floor(comment: Comment, status_before: str) -> tuple[str, bool]:
    """The lowest status the edited comment may get, and whether a moderator set it."""
    floor = PENDING if status_before in (PENDING, REJECTED) else APPROVED
    human = (Decision.objects.filter(comment=comment, source=Decision.Source.MODERATOR)
             .order_by("-created_at", "-pk").values_list("status", flat=True).first())
    if human is not None and _STRENGTH.get(human, 0) > _STRENGTH[floor]:
        return human, True
    return floor, False


def verdict_for_edit(comment: Comment, status_before: str, body_before: str, verdict: Verdict) -> Verdict:
    """`verdict` of the edited text, raised to the floor the comment's history sets."""
    floor, by_moderator = _floor(comment, status_before)
    if floor == APPROVED:
        return verdict
    status = max(verdict.status, floor, key=lambda s: _STRENGTH.get(s, 0))
    message = f"Edited by its author while {status_before}"
    if by_moderator:
        message += f" (a moderator's decision: {floor})"
    reason = EditReason("edit", "edited_after_decision",
                        f"{message}; it stays out of view until a moderator decides again.",
                        diff=word_diff(body_before, comment.body))
    return replace(verdict, status=status, reasons=(*verdict.reasons, reason), nudge=False)
