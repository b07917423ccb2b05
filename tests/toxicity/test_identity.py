"""Naming a group does not move a comment's score: the encoder and the n-gram heads both
read every identity term the same way."""

from __future__ import annotations

import pytest

from agora.toxicity import Model, behaviour
from agora.toxicity.features import NEUTRAL_IDENTITY, neutral_identity
from agora.toxicity.lexicon import IDENTITY_RE


def test_identity_swap_gap_on_neutral_templates_is_small(model: Model) -> None:
    gap = behaviour.bias_gap(model)["neutral"]
    assert gap["gap"] <= 0.01, gap


def test_hate_against_any_group_stays_toxic(model: Model) -> None:
    means = behaviour.bias_gap(model)["toxic"]["means"]
    assert min(means.values()) >= 0.5, means


def test_encoder_reads_every_group_the_same() -> None:
    views = {neutral_identity(f"the {g.lower()} students raised money.") for g in behaviour.SWAP_GROUPS}
    assert views == {f"the {NEUTRAL_IDENTITY} students raised money."}


@pytest.mark.parametrize(
    "text",
    ["i am a straight person.", "my brother is straight and happy.", "all straight people are rude"],
)
def test_straight_describing_people_is_an_identity_term(text: str) -> None:
    assert [m.group() for m in IDENTITY_RE.finditer(text)] == ["straight"]


@pytest.mark.parametrize(
    "text", ["give me a straight answer.", "three straight wins", "he is straight with us"]
)
def test_other_uses_of_straight_are_not(text: str) -> None:
    assert not IDENTITY_RE.search(text)
