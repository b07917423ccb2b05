"""Readers for the training sources in their native formats, mapped to our labels.

Each source annotates only some attributes; the others are ``None`` (unknown) and
are left out of that attribute's training set, except that a comment judged not
toxic at all is a negative for every attribute.

Label mapping (documented in MODEL_CARD.md):

* davidson2017 (tweets): hate → toxicity, identity_attack, severe_toxicity;
  offensive → toxicity (identity_attack 0); neither → all 0.
* stormfront (forum sentences): hate → toxicity, identity_attack; noHate → all 0.
* toxic_spans_civil (news comments): toxicity = majority did not tick "not
  toxic"; insult/profanity/identity_attack/threat = at least a third of raters
  marked a span of that type; severe_toxicity = majority ticked "all toxic".
  SemEval test/trial texts are excluded (they are our span benchmark).
* wiki_context_toxicity gc/gn (Wikipedia talk): label → toxicity.
* germeval2018 (German tweets, training file): OFFENSE → toxicity; ABUSE →
  identity_attack; INSULT → insult; PROFANITY → profanity; OTHER → all 0.
"""

from __future__ import annotations

import ast
import csv
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LABELS = (
    "toxicity",
    "severe_toxicity",
    "identity_attack",
    "insult",
    "profanity",
    "threat",
    "sexually_explicit",
)
# Source weights: the news-comment source is closest to our domain; the tweet
# source is lexicon-sampled and mostly "offensive", so it counts less.
SOURCE_WEIGHTS = {
    "toxic_spans_civil": 1.5,
    "wiki_context_toxicity": 1.0,
    "stormfront": 1.0,
    "davidson2017": 0.5,
    "germeval2018": 1.0,
    "jigsaw2018": 1.0,
    "hatexplain": 0.8,
    "sbic": 1.0,
    "hatemoji_build": 1.0,
    "convabuse": 0.8,
    "civil_comments_extra": 1.2,
    "augment": 1.0,
    "decisions": 1.0,
}

csv.field_size_limit(10_000_000)


@dataclass
class Example:
    text: str
    source: str
    labels: dict[str, float | None]
    group: str
    weight: float = 1.0


def _labels(**known: float | None) -> dict[str, float | None]:
    """All attributes unknown except ``known``; a clean comment is clean everywhere."""
    if known.get("toxicity") == 0:
        return dict.fromkeys(LABELS, 0.0)
    out: dict[str, float | None] = dict.fromkeys(LABELS)
    out.update(known)
    return out


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def read_davidson(root: Path) -> Iterator[Example]:
    with open(root / "davidson2017" / "labeled_data.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cls = int(row["class"])
            if cls == 0:
                labels = _labels(toxicity=1, identity_attack=1, severe_toxicity=1)
            elif cls == 1:
                labels = _labels(toxicity=1, identity_attack=0, severe_toxicity=0)
            else:
                labels = _labels(toxicity=0)
            yield Example(row["tweet"], "davidson2017", labels, "d" + row[""])


def read_stormfront(root: Path) -> Iterator[Example]:
    path = root / "stormfront" / "stormfront_combined_DERIVED.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["label"] == "hate":
                labels = _labels(toxicity=1, identity_attack=1)
            elif row["label"] == "noHate":
                labels = _labels(toxicity=0)
            else:
                continue
            # Split by post so sentences of one post stay on one side.
            yield Example(row["text"], "stormfront", labels, "s" + row["file_id"].split("_")[0])


def tsd_texts(root: Path, names: tuple[str, ...] = ("tsd_test.csv", "tsd_trial.csv")) -> set[str]:
    keys: set[str] = set()
    for name in names:
        with open(root / "toxic_spans_civil" / name, newline="", encoding="utf-8") as fh:
            keys.update(_key(r["text"]) for r in csv.DictReader(fh))
    return keys


def read_tsd(path: Path) -> list[tuple[str, list[int]]]:
    """SemEval-2021 toxic spans file: (text, toxic character offsets)."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [(r["text"], sorted(ast.literal_eval(r["spans"]))) for r in csv.DictReader(fh)]


def read_civil(root: Path) -> Iterator[Example]:
    base = root / "toxic_spans_civil"
    excluded = tsd_texts(root)
    raters: dict[str, list[tuple[str, bool, bool]]] = defaultdict(list)
    with open(base / "annotations.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            raters[r["comment_id"]].append(
                (r["annotation"], r["all toxic"] == "True", r["not toxic"] == "True")
            )
    types: dict[str, set[str]] = defaultdict(set)
    with open(base / "spans.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            types[r["annotation"]].add(r["type"][:5])
    seen: set[str] = set()
    with open(base / "comments.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            key = _key(r["comment_text"])
            if key in excluded or key in seen or not raters.get(r["comment_id"]):
                continue
            seen.add(key)
            yield Example(
                r["comment_text"],
                "toxic_spans_civil",
                _civil_labels(raters[r["comment_id"]], types),
                "c" + r["comment_id"],
            )


def _civil_labels(anns: list[tuple[str, bool, bool]], types: dict[str, set[str]]) -> dict[str, float | None]:
    n = len(anns)
    not_toxic = sum(a[2] for a in anns)
    if not_toxic * 2 > n:
        return _labels(toxicity=0)

    def share(prefix: str) -> float:
        return sum(prefix in types.get(a[0], set()) for a in anns) / n

    return _labels(
        toxicity=1,
        severe_toxicity=float(sum(a[1] for a in anns) * 2 > n),
        insult=float(share("Insul") >= 1 / 3),
        profanity=float(share("Profa") >= 1 / 3),
        identity_attack=float(share("Ident") >= 1 / 3),
        threat=float(share("Threa") >= 1 / 3),
    )


def civil_span_rows(root: Path, exclude: set[str]) -> list[tuple[str, list[int]]]:
    """Posts from the raw ACL-2022 release with majority-vote toxic characters.

    Unlike tsd_train (almost only posts with spans), about a third of these posts
    were judged not toxic and have no span, as in real comment streams; that is
    the distribution the span threshold must be tuned for.
    """
    base = root / "toxic_spans_civil"
    excluded = tsd_texts(root) | exclude
    anns: dict[str, list[str]] = defaultdict(list)
    with open(base / "annotations.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            anns[r["comment_id"]].append(r["annotation"])
    chars: dict[str, set[int]] = defaultdict(set)
    with open(base / "spans.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["start"].isdigit() and r["end"].isdigit():
                chars[r["annotation"]].update(range(int(r["start"]), int(r["end"])))
    rows: list[tuple[str, list[int]]] = []
    with open(base / "comments.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            ids = anns.get(r["comment_id"], [])
            if not ids or len(ids) > 20 or _key(r["comment_text"]) in excluded:
                continue
            votes: dict[int, int] = defaultdict(int)
            for a in ids:
                for c in chars.get(a, ()):
                    votes[c] += 1
            rows.append((r["comment_text"], sorted(c for c, v in votes.items() if v * 2 > len(ids))))
    return rows


def read_wiki(root: Path) -> Iterator[Example]:
    for name in ("gc.csv", "gn.csv"):
        with open(root / "wiki_context_toxicity" / name, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                tox = int(r["label"])
                labels = _labels(toxicity=1) if tox else _labels(toxicity=0)
                yield Example(r["text"], "wiki_context_toxicity", labels, "w" + r["id"])


def read_germeval(root: Path, name: str = "germeval2018.training.txt") -> Iterator[Example]:
    path = root / "germeval2018" / name
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            text, task1, task2 = parts
            if task1 == "OTHER":
                labels = _labels(toxicity=0)
            else:
                labels = _labels(
                    toxicity=1,
                    identity_attack=float(task2 == "ABUSE"),
                    insult=float(task2 == "INSULT"),
                    profanity=float(task2 == "PROFANITY"),
                )
            yield Example(text, "germeval2018", labels, f"g{name[11:15]}{i}")


_JIGSAW_LABELS = {
    "toxic": "toxicity",
    "severe_toxic": "severe_toxicity",
    "obscene": "profanity",
    "threat": "threat",
    "insult": "insult",
    "identity_hate": "identity_attack",
}


def read_jigsaw(root: Path) -> Iterator[Example]:
    """Jigsaw 2018 Wikipedia talk comments: six labels (union file), plus a binary subset."""
    base = root / "jigsaw2018"
    seen: set[str] = set()
    with open(base / "jigsaw2018_predibase_union.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            seen.add(_key(r["comment_text"]))
            known = {ours: float(r[theirs]) for theirs, ours in _JIGSAW_LABELS.items()}
            if not any(known.values()):
                labels = _labels(toxicity=0)
            else:
                # "Bad" comments are toxic for the head even when only a subtype was ticked.
                known["toxicity"] = 1.0
                labels = _labels(**known)
            yield Example(r["comment_text"], "jigsaw2018", labels, "j" + r["id"])
    with open(base / "jigsaw2018_robtest.csv", newline="", encoding="utf-8") as fh:
        for i, (text, label) in enumerate(csv.reader(fh)):
            if _key(text) in seen:
                continue
            seen.add(_key(text))
            yield Example(text, "jigsaw2018", _labels(toxicity=float(label == "1")), f"jr{i}")


def read_hatexplain(root: Path) -> Iterator[Example]:
    """HateXplain (tweets and Gab): normal / offensive / hate speech (2 of 3 annotators)."""
    with open(root / "hatexplain" / "hatexplain.csv", newline="", encoding="utf-8") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            label = int(r["label"])
            hate = float(label == 2)
            labels = _labels(toxicity=0) if label == 0 else _labels(toxicity=1, identity_attack=hate)
            yield Example(r["text"], "hatexplain", labels, f"hx{i}")


def read_sbic(root: Path) -> Iterator[Example]:
    """Social Bias Frames: offensiveness as the share of raters (a soft label).

    Posts taken from Davidson's tweets and Stormfront are skipped: those sources are read
    on their own, and the same text in two sources would leak across their splits."""
    for name in ("SBIC.v2.agg.dev.csv", "SBIC.v2.agg.tst.csv"):
        with open(root / "sbic" / name, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if r["dataSource"] in ("t/davidson", "Stormfront"):
                    continue
                share = float(r["offensiveYN"] or 0.0)
                labels = _labels(toxicity=0) if share == 0 else _labels(toxicity=share)
                yield Example(r["post"], "sbic", labels, f"sb{name[9:12]}{r['']}")


def read_hatemoji(root: Path) -> Iterator[Example]:
    """HatemojiBuild: adversarial hate with emoji, majority of three annotators."""
    for name in ("train.csv", "validation.csv", "test.csv"):
        with open(root / "hatemoji_build" / name, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                hate = float(r["label_gold"] == "1")
                labels = _labels(toxicity=hate, identity_attack=hate) if hate else _labels(toxicity=0)
                yield Example(r["text"], "hatemoji_build", labels, "hm" + r["entry_id"])


def read_convabuse(root: Path) -> Iterator[Example]:
    """ConvAbuse: users' messages to chatbots; the share of annotators who judged it abusive
    (an "ambiguous" vote counts half)."""
    for name in ("ConvAbuseEMNLPtrain.csv", "ConvAbuseEMNLPvalid.csv", "ConvAbuseEMNLPtest.csv"):
        with open(root / "convabuse" / name, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                votes = []
                for k in range(1, 9):
                    ticks = {v: r.get(f"Annotator{k}_is_abuse.{v}") == "1"
                             for v in ("1", "0", "-1", "-2", "-3")}
                    if any(ticks.values()):
                        votes.append(0.0 if ticks["1"] else 0.5 if ticks["0"] else 1.0)
                if not votes or not r["user"].strip():
                    continue
                share = sum(votes) / len(votes)
                labels = _labels(toxicity=0) if share == 0 else _labels(toxicity=share)
                yield Example(r["user"], "convabuse", labels, "ca" + r["conv_id"])


def read_civil_extra(root: Path) -> Iterator[Example]:
    """More Civil Comments: a random sample with the share of raters calling it toxic, and
    comments most raters called toxic. Texts in the toxic-spans set are skipped."""
    base = root / "civil_comments_extra"
    seen: set[str] = set()
    if (root / "toxic_spans_civil" / "comments.csv").exists():
        with open(root / "toxic_spans_civil" / "comments.csv", newline="", encoding="utf-8") as fh:
            seen.update(_key(r["comment_text"]) for r in csv.DictReader(fh))
    with open(base / "civilcomments_safe_sample.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            key = _key(r["input_text"])
            if key in seen or not key:
                continue
            seen.add(key)
            share = float(r["given_label"])
            labels = _labels(toxicity=0) if share == 0 else _labels(toxicity=share)
            yield Example(r["input_text"], "civil_comments_extra", labels, "cs" + r["id"])
    with open(base / "civilcomments_toxic_marco.csv", newline="", encoding="utf-8") as fh:
        for i, r in enumerate(csv.DictReader(fh)):
            key = _key(r["comment_text"])
            if key in seen or not key:
                continue
            seen.add(key)
            yield Example(r["comment_text"], "civil_comments_extra", _labels(toxicity=1), f"cm{i}")


READERS = {
    "toxic_spans_civil": read_civil,
    "wiki_context_toxicity": read_wiki,
    "stormfront": read_stormfront,
    "davidson2017": read_davidson,
    "germeval2018": read_germeval,
    "jigsaw2018": read_jigsaw,
    "hatexplain": read_hatexplain,
    "sbic": read_sbic,
    "hatemoji_build": read_hatemoji,
    "convabuse": read_convabuse,
    "civil_comments_extra": read_civil_extra,
}


def dedup_key(text: str) -> str:
    """Lower-cased, without whitespace and ASCII punctuation: HateXplain's copy of a tweet
    has lost its punctuation and case, and must still match the same tweet elsewhere (emoji
    are kept: in HatemojiBuild they are what tells two entries apart)."""
    return "".join(ch for ch in text.lower() if ch.isalnum() or (ord(ch) > 127 and not ch.isspace()))


def load_sources(
    root: str | Path, sources: tuple[str, ...] | None = None, cap: int | None = None
) -> list[Example]:
    """Available sources under ``root`` (missing ones are skipped), de-duplicated across
    sources (the first source in ``READERS`` order keeps a text). ``cap`` keeps at most that
    many rows per source, chosen by the hash of their group (deterministic)."""
    root = Path(root)
    out: list[Example] = []
    seen: set[str] = set()
    for name, reader in READERS.items():
        if not (root / name).is_dir() or (sources is not None and name not in sources):
            continue
        rows = []
        for ex in reader(root):
            key = dedup_key(ex.text)
            if not key or key in seen:
                continue
            seen.add(key)
            ex.weight = SOURCE_WEIGHTS[name]
            rows.append(ex)
        if cap is not None and len(rows) > cap:
            rows.sort(key=lambda ex: bucket(ex.group + ex.text[:40], "cap"))
            rows = rows[:cap]
        out.extend(rows)
    return out


def bucket(group: str, salt: str) -> float:
    digest = hashlib.sha256((salt + group).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split(examples: list[Example], seed: int, holdout: float = 0.15) -> tuple[list[int], list[int]]:
    """Fixed split by group hash, stratified per (source, toxicity).

    Each stratum is ordered by the hash of its group and the first ``holdout``
    share goes to the held-out side, so both sides keep each source's balance.
    """
    strata: dict[tuple[str, object], list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        strata[(ex.source, ex.labels["toxicity"])].append(i)
    test: set[int] = set()
    for members in strata.values():
        groups = sorted({examples[i].group for i in members}, key=lambda g: bucket(g, str(seed)))
        cut = set(groups[: round(len(groups) * holdout)])
        test.update(i for i in members if examples[i].group in cut)
    # A group must not straddle the split through different strata.
    test_groups = {examples[i].group for i in test}
    test_idx = [i for i, ex in enumerate(examples) if ex.group in test_groups]
    train_idx = [i for i, ex in enumerate(examples) if ex.group not in test_groups]
    return train_idx, test_idx
