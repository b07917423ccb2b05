"""`Idempotency-Key` on posting: a retried request gets the first request's answer.

The first request with a key claims it (a unique row, committed at once); a concurrent duplicate
finds the claim and waits for the first answer; a later retry gets the stored answer. A request
that fails (4xx) gives its claim up, so that a corrected retry can run. Keys are scoped by site
and sender, so one reader can never replay another's answer.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from agora.comments.models import Comment, IdempotentPost, Site
from agora.errors import Conflict, InvalidInput

MAX_KEY_LENGTH = 200
# How long a duplicate waits for the first request's answer before it gives up with 409.
WAIT_SECONDS = 15.0
POLL_SECONDS = 0.05
# A claim without an answer for this long belongs to a request that died.
ABANDONED_AFTER = timedelta(minutes=2)
KEEP_FOR = timedelta(days=1)
# One claim in this many also drops the answers older than KEEP_FOR (no separate cron job).
CLEANUP_CHANCE = 1000

Answer = tuple[int, dict]


def scope_of(site: Site, sender: str, key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(f"An Idempotency-Key is 1 to {MAX_KEY_LENGTH} printable characters.",
                           code="bad_idempotency_key", field="Idempotency-Key")
    return hashlib.sha256(f"{site.pk}|{sender}|{key}".encode()).hexdigest()


def once(site: Site, scope: str, run: Callable[[IdempotentPost], Answer],
         replay: Callable[[Comment], Answer]) -> tuple[Answer, bool]:
    """The answer for this scope and whether it is a replay. `run` does the work (and links the
    claim to the comment inside its transaction); `replay` rebuilds an answer from a stored
    comment whose first request died before answering."""
    while True:
        claim = _claim(site, scope)
        if claim is not None:
            break
        found = _answer_of_first(scope, replay)
        if found is not None:
            return found, True
    try:
        answer = run(claim)
    except BaseException:
        IdempotentPost.objects.filter(pk=claim.pk).delete()
        raise
    IdempotentPost.objects.filter(pk=claim.pk).update(status_code=answer[0], response=answer[1])
    return answer, False


def link(claim: IdempotentPost, comment: Comment) -> None:
    """Note the stored comment on its claim (inside the transaction that stores it)."""
    IdempotentPost.objects.filter(pk=claim.pk).update(comment=comment)


def _claim(site: Site, scope: str) -> IdempotentPost | None:
    try:
        with transaction.atomic():
            claim = IdempotentPost.objects.create(site=site, scope=scope)
    except IntegrityError:
        return None
    if random.randrange(CLEANUP_CHANCE) == 0:
        forget_old()
    return claim


def _answer_of_first(scope: str, replay: Callable[[Comment], Answer]) -> Answer | None:
    """The first request's answer, waiting for it while it runs; None when the claim went
    (it failed, or it was abandoned and is taken over)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        first = IdempotentPost.objects.filter(scope=scope).select_related("comment").first()
        if first is None:
            return None
        if first.status_code:
            return first.status_code, first.response
        if timezone.now() - first.created_at > ABANDONED_AFTER:
            if first.comment is not None:
                return replay(first.comment)
            IdempotentPost.objects.filter(pk=first.pk, status_code=0).delete()
            return None
        if time.monotonic() > deadline:
            raise Conflict("A request with this Idempotency-Key is still being processed; retry later.",
                           code="idempotency_in_progress")
        time.sleep(POLL_SECONDS)


def forget_old() -> int:
    """Drop answers kept longer than a day (retries come within seconds or minutes)."""
    deleted, _ = IdempotentPost.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted
