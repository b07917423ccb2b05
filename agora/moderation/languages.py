# ruff: noqa: RUF001, RUF002, RUF003  (letters of other scripts are the point of this module)
"""What word-list matching knows about each language beyond English.

The shared normalisation (`agora.toxicity.normalize`: case, accents, look-alike letters,
leetspeak, separators, repeated letters) runs first. This module then

* folds the letters that normalisation keeps apart but readers use interchangeably: Polish
  `ł`/`l`, Turkish dotless `ı`/`i`, the Arabic letter variants (`ة`/`ه`, `ى`/`ي`, Persian
  `ک`/`ی`) and the elongation mark tatweel (`كـــلب`), Hebrew final letters (`ם`/`מ`);
* spells each list entry the ways the language writes it: German `ö` as `oe`; inflected forms
  for languages whose words change their endings (Polish, Italian, Spanish, Portuguese,
  German, Dutch, Turkish); and the clitics Arabic and Hebrew write onto the front of a word
  (`ال` "the", `و` "and", `ה` "the", `ו` "and", ...).

Forms are generated when a list is compiled, so matching a comment stays one dictionary
lookup per word. Short entries get no generated forms: "göt" must not match "götür" (carry).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from agora.toxicity.normalize import Normalized

# One letter for another (or nothing), after normalisation's own folding.
_FOLD = {
    "ł": "l", "ı": "i", "ø": "o", "đ": "d",
    "ـ": "",   # Arabic tatweel, only ever used to stretch a word
    "ة": "ه", "ى": "ي", "ک": "ك", "ی": "ي", "ڪ": "ك", "ھ": "ه",
    "ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ",
}
_FOLDED_OUT = frozenset(k for k, v in _FOLD.items() if not v)


def fold_text(text: str) -> str:
    return "".join(_FOLD.get(ch, ch) for ch in text)


def fold(norm: Normalized) -> Normalized:
    """The normalised text with the letters above folded, offsets kept to the original."""
    if not any(ch in _FOLD for ch in norm.text):
        return norm
    text, offsets, ends = [], [], []
    for ch, start, end in zip(norm.text, norm.offsets, norm.ends, strict=True):
        if ch in _FOLDED_OUT:
            continue
        text.append(_FOLD.get(ch, ch))
        offsets.append(start)
        ends.append(end)
    return Normalized("".join(text), offsets, ends, norm.original_length)


def spelling_variants(phrase: str, language: str) -> list[str]:
    """Other spellings of a phrase, before normalisation: German umlauts as two letters."""
    if language != "de" or not any(ch in phrase.lower() for ch in "äöü"):
        return []
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
    return [phrase.translate(table)]


# ---- inflection: the forms a single-word entry takes in running text ----------------------------

def _endings(swappable: str, endings: tuple[str, ...], min_length: int) -> Callable[[str], Iterator[str]]:
    """Forms made by swapping a final vowel of `swappable` (or adding to a consonant) for each
    of `endings`, for words of at least `min_length` letters."""
    def forms(word: str) -> Iterator[str]:
        if len(word) < min_length:
            return
        stem = word[:-1] if word[-1] in swappable else word
        for ending in endings:
            yield stem + ending
    return forms


def _suffixes(suffixes: tuple[str, ...], min_length: int) -> Callable[[str], Iterator[str]]:
    def forms(word: str) -> Iterator[str]:
        if len(word) >= min_length:
            yield from (word + suffix for suffix in suffixes)
    return forms


def _prefixes(prefixes: tuple[str, ...], min_length: int) -> Callable[[str], Iterator[str]]:
    def forms(word: str) -> Iterator[str]:
        if len(word) >= min_length:
            yield from (prefix + word for prefix in prefixes)
    return forms


def _gender_and_number(masculine: tuple[str, ...], feminine: tuple[str, ...], min_length: int,
                       in_e: tuple[str, ...] = ()) -> Callable[[str], Iterator[str]]:
    """Romance forms: a masculine "-o" entry also as its feminine and plurals; a feminine "-a"
    entry only as its plural (the masculine of "bicha" is "bicho", an ordinary word)."""
    by_ending = {"o": masculine, "a": feminine, "e": in_e}

    def forms(word: str) -> Iterator[str]:
        if len(word) >= min_length:
            yield from (word[:-1] + ending for ending in by_ending.get(word[-1], ()))
    return forms


def _dutch(word: str) -> Iterator[str]:
    """Plurals and inflections: klootzak -> klootzakken (doubled consonant), lijer -> lijers."""
    if len(word) < 6:
        return
    yield from (word + "en", word + "s", word + "e")
    if word[-1] not in "aeiouy" and word[-2] in "aeiouy" and word[-3] not in "aeiouy":
        yield word + word[-1] + "en"


# Endings as normalisation leaves them (no accents: Polish "ą" is "a", Turkish "ş" is "s").
_INFLECTIONS: dict[str, Callable[[str], Iterator[str]]] = {
    # kurwa: kurwy, kurwie, kurwo, kurwą, kurwami; skurwysyn: skurwysyna, skurwysynu, skurwysyny
    "pl": _endings("aeoyi", ("a", "y", "i", "e", "ie", "o", "u", "om", "ami", "ach", "em", "owi", "ow"), 5),
    # stronzo: stronza, stronzi, stronze; puttana: puttane
    "it": _gender_and_number(("a", "i", "e"), ("e",), 5, in_e=("i",)),  # coglione: coglioni
    # pendejo: pendeja, pendejos, pendejas (the plural "s" the matcher already allows)
    "es": _gender_and_number(("a", "os", "as"), (), 5),
    "pt": _gender_and_number(("a", "os", "as", "inho", "inha"), ("inha",), 5),
    # Idiot: Idioten; Arschloch: Arschlochs
    "de": _suffixes(("e", "en", "er", "es", "n", "s"), 6),
    "nl": _dutch,
    # orospu: orospular, orospuya, orospunun; şerefsiz: şerefsizler, şerefsizsin
    "tr": _suffixes(("lar", "ler", "i", "u", "a", "e", "ya", "ye", "yi", "yu", "in", "un", "nin", "nun",
                     "dan", "den", "lari", "leri", "sin", "sun", "siniz", "sunuz", "ler", "cu", "ci"), 5),
    # كلب: الكلب, والكلب, بالكلب, ... (after folding: ة is ه)
    "ar": _prefixes(("ال", "و", "وال", "بال", "فال", "كال", "لل", "ف", "ب", "ل", "يا"), 3),
    # זונה: הזונה, והזונה, שהזונה, לזונה, ...
    "he": _prefixes(("ה", "ו", "ב", "ל", "מ", "ש", "כ", "וה", "שה", "מה", "וב", "ול", "וש", "כש"), 3),
}


def inflected_forms(word: str, language: str) -> list[str]:
    """Forms of one normalised, folded word of a `language` entry (the word itself excluded)."""
    forms = _INFLECTIONS.get(language)
    if forms is None:
        return []
    return [form for form in dict.fromkeys(forms(word)) if form != word]


SHIPPED = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "ar", "he")
