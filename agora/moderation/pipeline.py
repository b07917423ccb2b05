"""The single moderation entry point every new or edited comment passes through.

`moderate()` receives a `Submission` (what is about to be written) and returns a `Verdict`:
the status the comment gets and the reasons behind it. Views never decide a status
themselves; they call the comments services, which call this.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agora.accounts.models import User
    from agora.comments.models import Article, Comment, Site

APPROVED = "approved"
PENDING = "pending"
REJECTED = "rejected"


@dataclass(frozen=True)
class Reason:
    phase: str
    rule: str
    message: str
    # Character ranges of the body (start, end, matched text) that triggered the rule.
    spans: tuple[tuple[int, int, str], ...] = ()
    scores: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "rule": self.rule,
            "message": self.message,
            "spans": [list(span) for span in self.spans],
            "scores": self.scores,
        }


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: tuple[Reason, ...] = ()
    # True when the reader should be offered a chance to rephrase before the comment is held.
    nudge: bool = False


@dataclass
class Submission:
    site: Site
    article: Article
    body: str
    author_name: str
    author: User | None = None
    reader_id: str = ""
    ip: str = ""
    parent: Comment | None = None
    editing: Comment | None = None
    # The reader saw the nudge and chose to post anyway.
    ignore_nudge: bool = False


def moderate(submission: Submission) -> Verdict:
    """Decide the status of a new or edited comment."""
    return Verdict(APPROVED)


def record(comment: Comment, verdict: Verdict) -> None:
    """Store the verdict's reasons with the comment (inside the caller's transaction)."""
