"""Word-list matching speed with 5,000 entries (target: ≤ 1 ms per comment).

    .venv/bin/python bench/moderation/wordlist.py [--entries 5000] [--comments 500] [--rounds 5]

Times `WordMatcher.find` (normalisation included) on a mix of ordinary comments and abusive
ones, and the one-off compile of the list. Prints p50, p99 and mean per comment.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agora.settings")

import corpus
import django

django.setup()

from agora.moderation.matcher import WordMatcher  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=corpus.LIST_SIZE)
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    entries = corpus.word_list(args.entries)
    started = time.perf_counter()
    matcher = WordMatcher(entries)
    compile_ms = (time.perf_counter() - started) * 1000
    texts = corpus.comments(args.comments)
    for text in texts[:50]:  # warm-up
        matcher.find(text)
    samples, hits = [], 0
    for _ in range(args.rounds):
        for text in texts:
            started = time.perf_counter()
            hits += bool(matcher.find(text))
            samples.append((time.perf_counter() - started) * 1000)
    p50, p99, mean = corpus.percentiles(samples)
    # The same longest comment timed repeatedly: its median is the true cost of a long comment, so a
    # p99 far above it is the machine being busy (other processes, the garbage collector).
    longest = max(texts, key=len)
    repeated = []
    for _ in range(200):
        started = time.perf_counter()
        matcher.find(longest)
        repeated.append((time.perf_counter() - started) * 1000)
    longest_p50, _, _ = corpus.percentiles(repeated)
    length = sum(map(len, texts)) / len(texts)
    print(f"word list: {matcher.size:,} entries, compiled in {compile_ms:.0f} ms")
    print(f"comments: {len(texts)} x {args.rounds} rounds, mean length {length:.0f} characters, "
          f"{hits // args.rounds} with a match")
    print(f"per comment: p50 {p50:.3f} ms   p99 {p99:.3f} ms   mean {mean:.3f} ms   (target ≤ 1 ms)")
    print(f"longest comment ({len(longest)} characters) timed 200 times: median {longest_p50:.3f} ms")


if __name__ == "__main__":
    main()
