"""The single moderation entry point every new or edited comment passes through.

`moderate()` receives a `Submission` (what is about to be written) and returns a `Verdict`:
the status the comment gets and the reasons behind it. Views never decide a status
themselves; they call the comments services, which call this.

The phases (`agora.moderation.phases`) run in the site's order. Each returns findings: a
reason plus what it asks for (approve, hold, reject, or nothing: an annotation). The first
phase that asks for something decides; the phases after it still add their findings (so a
moderator sees every reason and the model's scores), except the external hook, which only runs
while nothing is decided. `record()` stores the verdict as the comment's first `Decision` and
does the bookkeeping that must only happen for stored comments (repeat fingerprints, slow
mode, the author's standing, thread escalation).
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


@dataclass(frozen=True)
class Verdict:
    status: str
    reasons: tuple[Reason, ...] = ()
    # True when the reader should be offered a chance to rephrase before the comment is held.
    nudge: bool = False
    # Model scores per label, when the model ran.
    scores: dict[str, float] = field(default_factory=dict)
    # Bookkeeping `record()` does once the comment is stored (see `phases.Context.followup`).
    followup: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


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


_STRENGTH = {ANNOTATE: 0, APPROVED: 1, PENDING: 2, REJECTED: 3}


def moderate(submission: Submission) -> Verdict:
    """Decide the status of a new or edited comment."""
    from agora.moderation import phases

    context = phases.Context(submission)
    reasons: list[Reason] = []
    decisive: Finding | None = None
    for phase in phases.ordered(context.settings.phase_order):
        if decisive is not None and not phase.runs_after_decision:
            continue
        findings = phase.run(context)
        reasons.extend(f.reason for f in findings)
        if decisive is None:
            decisive = max((f for f in findings if f.action != ANNOTATE),
                           key=lambda f: _STRENGTH[f.action], default=None)
    status = decisive.action if decisive is not None else APPROVED
    nudge = False
    offers_nudge = context.settings.nudge_enabled and submission.editing is None
    if decisive is not None and decisive.nudgeable and status == PENDING and offers_nudge:
        if submission.ignore_nudge:
            reasons.append(Reason("nudge", "posted_after_nudge",
                                  "The reader was warned about this wording and posted anyway."))
        else:
            nudge = True
    return Verdict(status, tuple(reasons), nudge=nudge, scores=context.model_scores,
                   followup=context.followup)


def record(comment: Comment, verdict: Verdict) -> None:
    """Store the verdict's reasons with the comment (inside the caller's transaction)."""
    from agora.moderation import bookkeeping

    bookkeeping.record_verdict(comment, verdict)
