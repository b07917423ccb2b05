"""The single moderation entry point every new or edited comment passes through.

`moderate()` receives a `Submission` (what is about to be written) and returns a `Verdict`:
the status the comment gets and the reasons behind it (the types: `agora.moderation.verdicts`).
Views never decide a status themselves; they call the comments services, which call this.

The phases (`agora.moderation.phases`) run in the site's order. Each returns findings: a
reason plus what it asks for (approve, hold, reject, or nothing: an annotation). The first
phase that asks for something decides; the phases after it still add their findings (so a
moderator sees every reason and the model's scores), except the external hook, which only runs
while nothing is decided. A banned, suspended or too fast author is refused outright
(`Refusal`). `record()` stores the verdict as the comment's first `Decision` and does the
bookkeeping that must only happen for stored comments (repeat fingerprints, slow mode, the
author's standing, thread escalation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora.moderation import bookkeeping, phases
from agora.moderation.verdicts import (
    ANNOTATE,
    APPROVED,
    PENDING,
    REJECTED,
    STRENGTH,
    Finding,
    Reason,
    Refusal,
    Submission,
    Verdict,
)

if TYPE_CHECKING:
    from agora.comments.models import Comment

__all__ = ["ANNOTATE", "APPROVED", "PENDING", "REJECTED", "Reason", "Refusal", "Submission",
           "Verdict", "moderate", "record"]


def moderate(submission: Submission) -> Verdict:
    """Decide the status of a new or edited comment (raises `Refusal`)."""
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
                           key=lambda f: STRENGTH[f.action], default=None)
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
    bookkeeping.record_verdict(comment, verdict)
