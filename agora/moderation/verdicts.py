"""The moderation pipeline's contract: what goes in (`Submission`), what each phase finds
(`Finding`, with a `Reason`), what comes out (`Verdict`, with the `Followup` bookkeeping to do
once the comment is stored), and `Refusal`, the exception for an author who may not post
now (banned, suspended, too fast). The loop is `agora.moderation.pipeline`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agora.accounts.models import User
    from agora.comments.models import Article, Comment, Site

APPROVED = "approved"
PENDING = "pending"
REJECTED = "rejected"
ANNOTATE = "annotate"


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


@dataclass
class Followup:
    """What the phases ask to remember once the comment is stored (never for a nudged,
    unsaved comment)."""

    author_key: str = ""
    # The normalized text's fingerprint, for repeat detection.
    fingerprint: str = ""
    # The article's slow mode: the author waits this long before the next comment.
    slow_mode_seconds: int = 0
    # The display name passed the word lists: it is not checked again.
    checked_name: str = ""
    # The cached standings entry the new checked name makes stale.
    standings_key: str = ""


class Refusal(Exception):
    """The author may not post at all right now; nothing is stored. `throttled` refusals
    pass with time (rate limits, slow mode), the others do not (bans, suspensions)."""

    def __init__(self, message: str, *, code: str, throttled: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.throttled = throttled


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: tuple[Reason, ...] = ()
    # True when the reader should be offered a chance to rephrase before the comment is held.
    nudge: bool = False
    # Model scores per label, when the model ran.
    scores: dict[str, float] = field(default_factory=dict)
    # Bookkeeping `record()` does once the comment is stored.
    followup: Followup = field(default_factory=Followup, compare=False, repr=False)


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
    author_email: str = ""
    # History from another system: the rules about posting now (the thread closed since, slow
    # mode, pre-moderation, the trust ramp, links from new commenters) do not apply to it; the
    # rules about its text do.
    imported: bool = False


@dataclass(frozen=True)
class Finding:
    """What one phase found: a reason, and the status it asks for (or ANNOTATE)."""

    reason: Reason
    action: str = ANNOTATE
    # A hold the reader could avoid by rephrasing (toxic wording), so a nudge is offered first.
    nudgeable: bool = False


STRENGTH = {ANNOTATE: 0, APPROVED: 1, PENDING: 2, REJECTED: 3}
