"""The optional external check: a signed HTTP POST to a newsroom's own service.

Request body (JSON): {"site", "article": {"id", "url", "title"}, "comment": {"body", "author_name",
"editing": id|null, "parent": id|null}}. Headers: `X-Agora-Timestamp` (Unix seconds) and
`X-Agora-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the site's secret>`.
Response (JSON): {"action": "approve"|"hold"|"reject", "reason": "..."}; anything else, an error
or no answer within the timeout is noted on the comment and otherwise ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

from agora.moderation.verdicts import ANNOTATE, APPROVED, PENDING, REJECTED, Finding, Reason

if TYPE_CHECKING:
    from agora.moderation.models import ModerationSettings
    from agora.moderation.verdicts import Submission

_ACTIONS = {"approve": APPROVED, "hold": PENDING, "reject": REJECTED}
_MAX_RESPONSE_BYTES = 64 * 1024


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(submission: Submission) -> bytes:
    article = submission.article
    return json.dumps({
        "site": submission.site.slug,
        "article": {"id": article.pk, "url": article.url, "title": article.title},
        "comment": {"body": submission.body, "author_name": submission.author_name,
                    "editing": submission.editing.pk if submission.editing else None,
                    "parent": submission.parent.pk if submission.parent else None},
    }).encode()


def _note(rule: str, message: str) -> list[Finding]:
    return [Finding(Reason("hook", rule, message), ANNOTATE)]


def call(settings: ModerationSettings, submission: Submission) -> list[Finding]:
    body = payload(submission)
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "User-Agent": "Agora moderation hook",
               "X-Agora-Timestamp": timestamp}
    if settings.hook_secret:
        headers["X-Agora-Signature"] = sign(settings.hook_secret, timestamp, body)
    request = urllib.request.Request(settings.hook_url, data=body, headers=headers, method="POST")
    timeout = settings.hook_timeout_seconds
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read(_MAX_RESPONSE_BYTES) or b"{}")
    except TimeoutError:
        return _note("hook_timeout", f"The external check did not answer within {timeout:g} s; skipped.")
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return _note("hook_timeout", f"The external check did not answer within {timeout:g} s; skipped.")
        return _note("hook_error", f"The external check failed ({error.reason}); skipped.")
    except (OSError, ValueError) as error:
        return _note("hook_error", f"The external check failed ({error}); skipped.")
    action = _ACTIONS.get(str(answer.get("action", "")).lower()) if isinstance(answer, dict) else None
    if action is None:
        return _note("hook_bad_response", "The external check gave no approve/hold/reject action; skipped.")
    reason = str(answer.get("reason", ""))[:500] or "No reason given."
    return [Finding(Reason("hook", f"hook_{answer['action'].lower()}", f"External check: {reason}"), action)]
