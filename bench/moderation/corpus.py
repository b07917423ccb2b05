"""Shared bench material: a 5,000-entry word list, a few hundred comments of varied length,
and a throwaway Django database to run against."""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_THREAD = ROOT / "tests" / "moderation" / "fixtures" / "heated_thread.json"
LIST_SIZE = 5_000

_SENTENCES = [
    "The council should publish the full costings before the vote.",
    "I have lived near the harbour for thirty years and the traffic is already impossible.",
    "Four votes is not a mandate, whatever the minister says on the radio this morning.",
    "Can someone explain why the waiting list was not part of the impact assessment?",
    "Both parties have failed on housing for twenty years and this bill will not change that.",
    "Read the article: the funding comes from the transport budget, not from schools.",
    "My daughter's school lost its bus route last year, so forgive me if I am sceptical.",
    "Great reporting as always, thanks for digging into the procurement documents.",
    "See https://example.org/report for the committee's own numbers, page 14.",
    "The opposition would have done exactly the same thing, let us be honest about it.",
]


def word_list(size: int = LIST_SIZE) -> list[tuple[str, str]]:
    """The shipped defaults padded with invented words and phrases to `size` entries."""
    from agora.moderation.wordlists import default_entries

    entries = default_entries()
    rng = random.Random(5000)
    letters = "abcdefghijklmnopqrstuvwxyz"
    seen = {phrase for phrase, _ in entries}
    while len(entries) < size:
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(4, 10)))
                 for _ in range(1 if rng.random() < 0.8 else 2)]
        phrase = " ".join(words)
        if phrase not in seen:
            seen.add(phrase)
            entries.append((phrase, "banned" if rng.random() < 0.5 else "suspect"))
    return entries


def comments(count: int = 500) -> list[str]:
    """Mostly ordinary comments of 1 to 8 sentences, plus the seed thread's abuse."""
    rng = random.Random(7)
    abuse = [entry["body"] for entry in json.loads(SEED_THREAD.read_text())["comments"]]
    texts = []
    for i in range(count):
        if i % 10 == 0:
            texts.append(abuse[i // 10 % len(abuse)])
        else:
            # Numbered, as readers often do, so that no two ordinary comments are repeats.
            texts.append(f"Point {i}: " + " ".join(rng.choice(_SENTENCES) for _ in range(rng.randint(1, 8))))
    return texts


def timed(samples: list[float], call, *args, **kwargs):
    """Call, append the call's milliseconds to `samples`, return its result."""
    started = time.perf_counter()
    result = call(*args, **kwargs)
    samples.append((time.perf_counter() - started) * 1000)
    return result


def percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples_ms)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return pick(0.5), pick(0.99), sum(ordered) / len(ordered)


def setup_django(database_url: str | None) -> None:
    """Django on a fresh database: a temporary SQLite file, or the (empty) one at database_url."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")
    os.environ["AGORA_DATA_DIR"] = tempfile.mkdtemp(prefix="agora-bench-")
    if database_url:
        os.environ["AGORA_DATABASE_URL"] = database_url
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
