"""Tiny language identifier: script first, then distinctive function words.

The model covers English and German. Anything else is reported ``unsupported``
rather than scored as if it were clean English. Very short Latin-script texts
without any function word default to English, the platform's main language.
"""

from __future__ import annotations

import re
import unicodedata


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SUPPORTED = frozenset({"en", "de"})

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and you your are is was that this with have for not what they them their "
        "there would should will just like about people from but who why how it's don't "
        "i'm you're my me he she his her we our of to in on at be "
    ),
    "de": _words(
        "der die das und ist nicht ein eine einen sie ich du wir ihr es mit auf für den "
        "dem des zu von sich auch noch nur wie aber wenn doch schon mal bei nach kein "
        "keine sind war hat haben wird werden dass oder man mir dich "
    ),
    "fr": _words(
        "le la les et est une des du que qui pas pour dans sur avec ce cette sont vous "
        "nous je tu il elle mais ou très aussi "
    ),
    "es": _words(
        "el la los las y es que de en un una por con para del al pero muy como más su sus "
        "yo tú él ella esto está son "
    ),
    "it": _words(
        "il lo la gli le e è che di un una per con non sono della del alla anche ma molto "
        "questo questa io tu lui lei "
    ),
    "pt": _words(
        "o a os as e é que de um uma para com não são do da dos das mas muito isso você ele ela eu também "
    ),
    "nl": _words(
        "de het een en is van dat niet zijn met voor op ik je jij hij zij wij maar ook nog wel geen "
    ),
    "tr": _words("ve bir bu da de için ile ama çok ben sen o biz siz değil "),
    "pl": _words("i w nie na się że to jest z do jak ale tak co już "),
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SCRIPTS = (
    ("CYRILLIC", "ru"),
    ("ARABIC", "ar"),
    ("HEBREW", "he"),
    ("GREEK", "el"),
    ("DEVANAGARI", "hi"),
    ("HANGUL", "ko"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("CJK", "zh"),
    ("THAI", "th"),
    ("ARMENIAN", "hy"),
    ("GEORGIAN", "ka"),
)


def _script_language(text: str) -> str | None:
    """Language of a dominant non-Latin script, else None."""
    counts: dict[str, int] = {}
    latin = 0
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN") or name.startswith("FULLWIDTH LATIN"):
            latin += 1
            continue
        for prefix, lang in _SCRIPTS:
            if name.startswith(prefix):
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not counts:
        return None
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    return lang if n > latin else None


def detect(text: str) -> str:
    """Best-guess ISO 639-1 code of ``text`` (``"en"`` when there is no evidence)."""
    sample = text[:2000]
    by_script = _script_language(sample)
    if by_script:
        return by_script
    words = [w.lower() for w in _WORD.findall(sample)]
    scores = {lang: sum(w in sw for w in words) for lang, sw in _STOPWORDS.items()}
    scores["de"] += sum(ch in "äöüß" for ch in sample.lower())
    best = max(scores, key=lambda k: (scores[k], k == "en"))
    if scores[best] < 2 or scores[best] <= scores["en"]:
        return "en"
    return best
