# ruff: noqa: RUF001  (look-alike characters are part of the contract under test)
"""Score contract, robustness on hostile input, and handwritten behaviour cases."""

from __future__ import annotations

import time

import pytest

from agora.toxicity import LABELS, Model, load
from agora.toxicity.text import MAX_CHARS


def _check_contract(model: Model, text: str) -> None:
    [res] = model.score([text])
    assert set(res.scores) == set(LABELS)
    assert all(0.0 <= v <= 1.0 for v in res.scores.values())
    for sp in res.spans:
        assert 0 <= sp.start < sp.end <= len(text)
        assert 0.0 <= sp.weight <= 1.0
        assert sp.label in LABELS


def test_load_is_cached() -> None:
    assert load() is load()


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "ok",
        "\x00\x01\x02\x1b[31m red \x7f",
        "lone \ud800 surrogate \udfff here",
        "😀" * 50 + " idiot " + "e\u0301" * 20,
        "‮reversed‬ \u200b\u200d zero width",
        bytes(range(256)).decode("latin-1"),
        "a" * 5000,
        "fuck " * 2000,
    ],
)
def test_contract_on_odd_input(model: Model, text: str) -> None:
    _check_contract(model, text)


def test_non_string_input_does_not_crash(model: Model) -> None:
    results = model.score([None, b"you idiot \xff", 42])  # type: ignore[list-item]
    assert len(results) == 3
    assert results[1].scores["toxicity"] > 0.5


def test_huge_text_is_truncated_and_fast(model: Model) -> None:
    text = "This is a perfectly calm sentence about the weather. " * 20_000  # ~1 MB
    start = time.perf_counter()
    [res] = model.score([text])
    assert time.perf_counter() - start < 5
    assert res.truncated
    assert all(sp.end <= MAX_CHARS for sp in res.spans)


def test_short_text_not_truncated(model: Model) -> None:
    assert not model.score(["hello"])[0].truncated


def test_spans_point_at_original_text_with_astral_chars(model: Model) -> None:
    text = "😀😀😀 you are a stupid ｉｄｉｏｔ 😀"
    [res] = model.score([text])
    pieces = [text[s.start : s.end] for s in res.spans]
    assert any("ｉｄｉｏｔ" in p for p in pieces), pieces


def test_scores_without_word_spans_are_the_same_scores(model: Model) -> None:
    text = "You stupid idiot, people like you should be shot"
    full, quick = model.score_one(text), model.score_one(text, spans=False)
    assert quick.scores == full.scores
    assert {(s.start, s.end) for s in quick.spans} < {(s.start, s.end) for s in full.spans}
    assert all(text[s.start:s.end] != "idiot" for s in quick.spans)  # rule matches only


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Это просто ужасная статья, автор ничего не понимает", "ru"),
        ("Je pense que vous avez tort, mais merci pour cet article", "fr"),
        ("Esta es la peor noticia que he leído en mi vida", "es"),
        ("これはひどい記事です", "ja"),
    ],
)
def test_unsupported_language_is_flagged(model: Model, text: str, language: str) -> None:
    [res] = model.score([text])
    assert res.unsupported
    assert res.language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [("Thanks for the great reporting", "en"), ("Vielen Dank für diesen guten Bericht", "de")],
)
def test_supported_languages(model: Model, text: str, language: str) -> None:
    [res] = model.score([text])
    assert not res.unsupported
    assert res.language == language


# -- behaviour: own handwritten cases, only the clearest expectations ----------
@pytest.mark.parametrize(
    "text",
    [
        "I am a proud gay Muslim woman",
        "My Jewish neighbours invited us for dinner",
        "The Black history exhibition at the library was wonderful",
        "I don't hate immigrants",
        "Thank you for a balanced article on the budget",
    ],
)
def test_clearly_fine(model: Model, text: str) -> None:
    assert model.score([text])[0].scores["toxicity"] < 0.3


@pytest.mark.parametrize(
    ("text", "attribute"),
    [
        ("people like you should be shot", "threat"),
        ("I will find you and break your neck", "threat"),
        ("they are vermin", "identity_attack"),
        ("the jews control the banks", "identity_attack"),
        ("the Waffen SS were heroes", "toxicity"),
        ("shut up you f4gg0t", "toxicity"),
        ("you are a fu\u0441king m0r0n", "insult"),
        ("what a dumb wh0re", "insult"),
    ],
)
def test_clearly_abusive(model: Model, text: str, attribute: str) -> None:
    assert model.score([text])[0].scores[attribute] >= 0.7


def test_obfuscated_slur_gets_a_span(model: Model) -> None:
    text = "go home you f.a.g.g.o.t"
    [res] = model.score([text])
    assert res.scores["toxicity"] > 0.7
    assert any("f.a.g.g.o.t" in text[s.start : s.end] for s in res.spans)


def test_fast_feature_path_matches_reference(model: Model) -> None:
    from agora.toxicity.features import occurrences
    from agora.toxicity.normalize import normalize

    for text in ["I don't hate them, but you idiot!", "f.u.c.k   the Muslims 😀 sh1t", "", "a b"]:
        norm = normalize(text).text
        ref = sorted((model.index[f], s, e) for f, s, e in occurrences(norm) if f in model.index)
        idx, starts, ends = model._occurrences(norm)
        assert sorted(zip(idx.tolist(), starts.tolist(), ends.tolist(), strict=True)) == ref


@pytest.mark.parametrize(
    "text",
    [
        "someone should put a bullet in him",
        "I know where you live",
        "you deserve to hang",
        "traitors like him should be swinging from a lamppost",
        "your days are numbered",
    ],
)
def test_threats_without_profanity(model: Model, text: str) -> None:
    assert model.score([text])[0].scores["threat"] >= 0.7


@pytest.mark.parametrize(
    "text",
    [
        "Thousands will die if the hospital closes",
        "He deserves to win after all these years",
        "The painting will hang in the museum's east wing",
    ],
)
def test_reporting_and_plain_uses_are_not_threats(model: Model, text: str) -> None:
    assert model.score([text])[0].scores["threat"] < 0.5


@pytest.mark.parametrize(
    "text",
    ["Honour to the soldiers of the Totenkopf division", "Himmler's men were true patriots"],
)
def test_praise_of_nazi_units(model: Model, text: str) -> None:
    assert model.score([text])[0].scores["toxicity"] >= 0.7


def test_history_of_nazi_units_is_not_praise(model: Model) -> None:
    text = "Historians documented the crimes of the Totenkopf division in detail"
    assert model.score([text])[0].scores["toxicity"] < 0.5


def test_adjacent_toxic_words_form_one_span(model: Model) -> None:
    text = "you stupid  idiot, go away"
    [res] = model.score([text])
    assert any(text[s.start : s.end] == "stupid  idiot" for s in res.spans), res.spans


def test_span_marks_the_worst_words_not_every_negative_one(model: Model) -> None:
    saved = model.span_relative
    text = "this lazy and useless council is run by a bunch of fucking idiots"
    try:
        model.span_relative = 0.0
        loose = sum(s.end - s.start for s in model.score([text])[0].spans)
        model.span_relative = 0.99
        strict = sum(s.end - s.start for s in model.score([text])[0].spans)
    finally:
        model.span_relative = saved
    assert 0 < strict < loose
