"""The sentence encoder, segment scoring, and what they change in the shipped model's scores."""

from __future__ import annotations

import numpy as np
import pytest

from agora.toxicity import Model
from agora.toxicity.encoder import MAX_SEGMENTS, load, segments
from agora.toxicity.head import fit_logistic, roc_auc

FILLER = (
    "The council met on Tuesday to discuss the new bus timetable and the budget for the library. "
    "Several residents asked about the parking changes near the station, and the chair promised a reply. "
)


def test_embeddings_are_unit_length_and_do_not_depend_on_the_batch() -> None:
    encoder = load()
    texts = ["a short one", "a somewhat longer comment about the harbour and the ferry timetable"]
    together = encoder.embed(texts)
    alone = np.vstack([encoder.embed([t]) for t in texts])
    assert together.shape == (2, 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)
    assert np.allclose(together, alone)


def test_similar_meanings_are_closer_than_different_ones() -> None:
    a, b, c = load().embed(["you are an idiot", "you are a moron", "the ferry leaves at nine"])
    assert a @ b > a @ c + 0.2


def test_segments_are_the_whole_text_then_its_sentences_bounded() -> None:
    assert segments("short comment. Really?") == ["short comment. Really?"]
    parts = segments(FILLER * 20)
    assert parts[0] == (FILLER * 20).strip()
    assert len(parts) == 1 + MAX_SEGMENTS
    assert parts[1].startswith("The council met") and parts[1].endswith("library.")
    assert segments("Yes. You are a liar and a fraud. Go away now, please.") == [
        "Yes. You are a liar and a fraud. Go away now, please.", "Yes. You are a liar and a fraud.",
        "Go away now, please."]


def test_one_abusive_sentence_is_not_diluted_by_a_long_comment(model: Model) -> None:
    abuse = "You are a worthless idiot and everyone here despises you."
    [alone, inside] = model.score([abuse, FILLER * 3 + abuse + " " + FILLER * 2])
    assert inside.scores["toxicity"] >= 0.5
    assert inside.scores["toxicity"] >= alone.scores["toxicity"] - 0.15


def test_elongated_profanity_scores_like_the_word(model: Model) -> None:
    [plain, long] = model.score(["fuck you", "fuuuuuuck you"])
    assert long.scores["profanity"] == pytest.approx(plain.scores["profanity"], abs=0.05)


def test_negation_does_not_erase_the_attack(model: Model) -> None:
    [attack] = model.score(["Those immigrants are not human, they are animals"])
    assert attack.scores["toxicity"] >= 0.5


def test_logistic_head_learns_soft_labels() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    share = 1 / (1 + np.exp(-(2 * X[:, 0] - X[:, 1])))
    head = fit_logistic(X, share, l2=0.1)
    assert head.coef[0] > 1.5 and head.coef[1] < -0.5 and abs(head.coef[2]) < 0.3
    assert roc_auc(share > 0.5, head.logits(X)) > 0.95
