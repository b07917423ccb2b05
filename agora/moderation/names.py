"""What the workspace calls its queues, sorts, model labels, pipeline phases and rules, in the
reader's language. The codes stay the same in URLs, filters, the API and the audit log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

QUEUES = {
    "pending": pgettext_lazy("queue", "Pending"),
    "flagged": pgettext_lazy("queue", "Flagged"),
    "rejected": pgettext_lazy("queue", "Rejected"),
    "approved": pgettext_lazy("queue", "Approved"),
    "all": pgettext_lazy("queue", "All"),
}
SORTS = {
    "priority": _("priority"),
    "score": _("highest score"),
    "flags": _("most flags"),
    "oldest": _("oldest"),
    "newest": _("newest"),
}
LABELS = {
    "toxicity": _("toxicity"),
    "severe_toxicity": _("severe toxicity"),
    "identity_attack": _("identity attack"),
    "insult": _("insult"),
    "profanity": _("profanity"),
    "threat": _("threat"),
    "sexually_explicit": _("sexually explicit"),
}
PHASES = {
    "structure": _("structure"),
    "wordlist": _("word list"),
    "username": _("user name"),
    "links": _("links"),
    "repeats": _("repeats"),
    "model": _("model"),
    "trust": _("trust"),
    "hook": _("external check"),
    "flags": _("reader flags"),
    "nudge": _("nudge"),
}
RULES = {
    "banned_word": _("banned word"),
    "suspect_word": _("suspect word"),
    "banned_name": _("banned user name"),
    "suspect_name": _("suspect user name"),
    "denied_domain": _("blocked link domain"),
    "link_from_new_commenter": _("link from a new commenter"),
    "language_unsupported": _("language the model does not read"),
    "model_unavailable": _("model unavailable"),
    "toxicity": _("toxicity"),
    "repeat_across_articles": _("repeated on another article"),
    "repeat_same_author": _("repeated by the same author"),
    "closed": _("comments closed"),
    "empty": _("empty"),
    "too_long": _("too long"),
    "article_premoderated": _("article pre-moderated"),
    "author_premoderated": _("author pre-moderated"),
    "site_premoderated": _("site pre-moderated"),
    "trust_ramp": _("new commenter"),
    "flag_threshold": _("flagged by readers"),
    "posted_after_nudge": _("posted after a nudge"),
    "hook_approve": _("approved by the external check"),
    "hook_hold": _("held by the external check"),
    "hook_reject": _("rejected by the external check"),
    "hook_timeout": _("external check timed out"),
    "hook_error": _("external check failed"),
    "hook_bad_response": _("external check gave no answer"),
}
STATUSES = {
    "approved": _("approved"),
    "pending": _("pending"),
    "rejected": _("rejected"),
}
FLAGS = {
    "abusive": _("abusive"),
    "spam": _("spam"),
    "off_topic": _("off topic"),
    "illegal": _("illegal"),
}
KINDS = {"queue": QUEUES, "sort": SORTS, "label": LABELS, "phase": PHASES, "rule": RULES,
         "status": STATUSES, "flag": FLAGS}


def name(kind: str, code: str) -> str:
    """The translated name of a code, or the code itself when it has none (a site's own rule).
    The model's findings are named after its labels ("insult"), hence the second look-up."""
    found = KINDS[kind].get(code) or (LABELS.get(code) if kind == "rule" else None)
    return str(found or code)


def script_messages() -> dict[str, str]:
    """What the queue's script announces, with `{name}` placeholders it fills in."""
    return {
        **{f"status_{code}": str(label) for code, label in STATUSES.items()},
        "decided": _("Comment by {author}: {status}."),
        "decided_elsewhere": _("Another moderator changed the comment by {author}: {status}."),
        "not_saved": _("Not saved: {error}"),
        "server_answered": _("The server answered {status}."),
        "nothing_to_undo": _("Nothing to undo."),
        "selected": _("Selected. Selected in all: {count}."),
        "unselected": _("Unselected. Selected in all: {count}."),
        "select_first": _("Select comments first with x."),
        "bulk_approved": _("Approved: {count}."),
        "bulk_rejected": _("Rejected: {count}."),
        "new_held": _("New held comments: {count}."),
    }
