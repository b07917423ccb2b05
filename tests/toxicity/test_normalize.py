# ruff: noqa: RUF001  (look-alike characters are the point of these tests)
"""Normalisation: obfuscation rules and offsets back to the original text."""

from __future__ import annotations

import pytest

from agora.toxicity.normalize import TermMatcher, normalize


def _orig(text: str, start: int, end: int) -> str:
    norm = normalize(text)
    s, e = norm.to_original(start, end)
    return text[s:e]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SHIT", "shit"),
        ("ｆｕｃｋ", "fuck"),  # fullwidth
        ("𝐟𝐮𝐜𝐤", "fuck"),  # mathematical bold
        ("fuсk", "fuck"),  # Cyrillic es
        ("fυck", "fuck"),  # Greek upsilon
        ("sh1t", "shit"),
        ("f4g", "fag"),
        ("@ss", "ass"),
        ("a$$", "ass"),
        ("sh!t", "shit"),
        ("f.u.c.k", "fuck"),
        ("f u c k", "fuck"),
        ("f-u-c-k", "fuck"),
        ("fuuuuuck", "fuck"),  # one letter makes the listed word
        ("sooooo", "soo"),  # elsewhere a long run keeps two letters
        ("f.u.c.k y.o.u", "fuck you"),  # a change of separator ends the word
        ("f u c k  y o u", "fuck you"),  # so does a wider gap
        ("you are a f u c k i n g idiot", "you are a fucking idiot"),
        ("fu\u200bck", "fuck"),  # zero-width space
        ("bïtch", "bitch"),
        ("bi\u0308tch", "bitch"),  # combining diaeresis
    ],
)
def test_obfuscations_are_undone(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize("raw", ["$100", "1st", "2017", "5pm", "hello!", "U2", "covid19"])
def test_numbers_and_punctuation_are_not_leet(raw: str) -> None:
    assert normalize(raw).text == raw.lower()


def test_offsets_with_astral_and_combining_chars() -> None:
    text = "😀😀 e\u0301 ＦＵＣＫ 𝐬𝐡𝐢𝐭!"
    norm = normalize(text)
    assert len(norm.offsets) == len(norm.text) == len(norm.ends)
    i = norm.text.index("fuck")
    assert _orig(text, i, i + 4) == "ＦＵＣＫ"
    j = norm.text.index("shit")
    assert _orig(text, j, j + 4) == "𝐬𝐡𝐢𝐭"
    k = norm.text.index("e")
    assert _orig(text, k, k + 1) == "e\u0301"  # the accent stays with its letter


def test_squeezed_run_maps_to_whole_original_run() -> None:
    text = "you fuuuuuck"
    norm = normalize(text)
    i = norm.text.index("fuck")
    assert _orig(text, i, i + 4) == "fuuuuuck"


def test_separated_letters_map_to_whole_original() -> None:
    text = "so f . u . c . k off"
    norm = normalize(text)
    i = norm.text.index("fuck")
    assert _orig(text, i, i + 4) == "f . u . c . k"


def test_offsets_are_monotonic_and_in_range() -> None:
    text = "A\x00b\ud800c\u0301 ß ﬁ \U0001f600 \t\n x"
    norm = normalize(text)
    assert norm.offsets == sorted(norm.offsets)
    assert all(0 <= o < len(text) for o in norm.offsets)
    assert all(0 < e <= len(text) for e in norm.ends)
    assert "ss" in norm.text and "fi" in norm.text


def test_empty_and_junk() -> None:
    assert normalize("").text == ""
    assert normalize("").to_original(0, 0) == (0, 0)
    junk = bytes(range(256)).decode("latin-1") + "\udcff\ud83d"
    norm = normalize(junk)
    assert len(norm.text) == len(norm.offsets)


def test_idempotent_on_normalised_text() -> None:
    text = normalize("Ｆ.U.C.K yoooou 𝐬𝐡𝟏𝐭 naïve").text
    assert normalize(text).text == text


MATCHER = TermMatcher(["fuck", "cunt", "ass", "cock", "shit"])


@pytest.mark.parametrize(
    "clean",
    [
        "Scunthorpe United won",
        "we need to assess this",
        "a cocktail party",
        "first class passengers",
        "as soon as possible",
        "the shitake mushrooms",
        "****",
    ],
)
def test_no_scunthorpe_false_positives(clean: str) -> None:
    assert MATCHER.find(clean) == []


@pytest.mark.parametrize(
    ("text", "term", "span"),
    [
        ("what the f*ck", "fuck", "f*ck"),
        ("what the f**k", "fuck", "f**k"),
        ("fuuuuuck this", "fuck", "fuuuuuck"),
        ("F.U.C.K you", "fuck", "F.U.C.K"),
        ("you @ss", "ass", "@ss"),
        ("kiss my a$$", "ass", "a$$"),
        ("such sh1t", "shit", "sh1t"),
        ("ｃｕｎｔ!", "cunt", "ｃｕｎｔ"),
        ("fuсk (Cyrillic)", "fuck", "fuсk"),
        ("assss", "ass", "assss"),
    ],
)
def test_matcher_sees_through_obfuscation(text: str, term: str, span: str) -> None:
    matches = MATCHER.find(text)
    assert [(m.term, text[m.start : m.end]) for m in matches] == [(term, span)]


def test_multiword_terms() -> None:
    matcher = TermMatcher(["go to hell"])
    assert [m.term for m in matcher.find("Go-to-HELL!!")] == ["go to hell"]
    assert matcher.find("go to hello") == []
