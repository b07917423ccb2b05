"""Word lists beyond English: each language's letters, diacritics, leetspeak, inflected forms
and clitics, checked on small comments per language (fixtures/languages/<lang>.txt), and the
routing of comments in languages the model does not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from agora.comments import services
from agora.comments.models import Comment
from agora.moderation import languages, wordlists
from agora.moderation.matcher import WordMatcher
from agora.moderation.models import Decision, ModerationSettings, WordListEntry, WordListState
from agora.toxicity import lang
from agora.toxicity.normalize import normalize

FIXTURES = Path(__file__).parent / "fixtures" / "languages"
LANGUAGES = [code for code in languages.SHIPPED if code != "en"]


def _cases(code: str) -> list[tuple[str, str | None]]:
    cases = []
    for line in (FIXTURES / f"{code}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("+ "):
            text, _, entry = line[2:].rpartition(" => ")
            cases.append((text, entry))
        elif line.startswith("- "):
            cases.append((line[2:], None))
    return cases


@pytest.fixture(scope="module")
def shipped() -> WordMatcher:
    return WordMatcher(wordlists.default_entries_by_language())


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_catches_its_words_through_disguises_and_leaves_ordinary_words(shipped, code):
    cases = _cases(code)
    assert sum(entry is not None for _text, entry in cases) >= 5 and any(e is None for _t, e in cases)
    for text, entry in cases:
        found = [hit.phrase for hit in shipped.find(text)]
        if entry is None:
            assert found == [], f"{code}: {text!r} is ordinary, but matched {found}"
        else:
            assert entry in found, f"{code}: {text!r} should match {entry!r}, found {found}"


def test_hits_point_at_the_original_text_even_where_letters_were_folded(shipped):
    text = "قال: يا كـــلب!"  # tatweel stretches the word; the span still covers it all
    [hit] = shipped.find(text)
    assert (hit.text, hit.language) == ("يا كـــلب", "ar")
    [hit] = shipped.find("Ty złamany skurwielu!")
    assert (hit.text, hit.phrase, hit.language) == ("skurwielu", "skurwiel", "pl")


def test_folding_keeps_offsets_into_the_original():
    norm = languages.fold(normalize("Łoś ـــ ך"))
    assert norm.text == "los  כ"
    assert [norm.to_original(i, i + 1) for i in range(len(norm.text))][-1] == (8, 9)


def test_short_entries_get_no_generated_forms():
    assert languages.inflected_forms("got", "tr") == []  # "göt" would otherwise match "götür"
    assert "orospular" in languages.inflected_forms("orospu", "tr")
    assert "bicho" not in languages.inflected_forms("bicha", "pt")  # an ordinary word
    assert {"stronza", "stronzi"} <= set(languages.inflected_forms("stronzo", "it"))


def test_no_shipped_entry_is_a_common_word_of_another_language():
    """Every list is matched in every comment, so no entry may be a function word elsewhere."""
    common = {word: code for code, words in lang._STOPWORDS.items() for word in words}
    for phrase, _kind, language in wordlists.default_entries_by_language():
        for word in normalize(phrase).text.split():
            if word in common and common[word] != language and " " not in phrase:
                pytest.fail(f"{phrase!r} ({language}) is a common {common[word]} word")


def test_every_shipped_language_has_a_list_with_both_kinds():
    by_language: dict[str, set[str]] = {}
    for _phrase, kind, language in wordlists.default_entries_by_language():
        by_language.setdefault(language, set()).add(kind)
    for code in languages.SHIPPED:
        assert by_language.get(code) == {"banned", "suspect"}, code


@pytest.mark.django_db
def test_sites_get_every_language_once_and_older_sites_get_the_new_ones(site):
    state = wordlists.ensure_defaults(site)
    assert sorted(state.default_languages) == sorted(languages.SHIPPED)
    assert WordListEntry.objects.get(site=site, phrase="arschloch").language == "de"
    assert WordListEntry.objects.get(site=site, phrase="puta").language == ""  # Spanish and Portuguese

    # A site whose English list was loaded before the other languages shipped.
    WordListEntry.objects.filter(site=site).exclude(language="en").delete()
    WordListEntry.objects.filter(site=site, phrase="cunt").delete()  # an admin's deletion
    WordListState.objects.filter(pk=state.pk).update(default_languages=[])
    wordlists.ensure_defaults(site)
    assert WordListEntry.objects.filter(site=site, phrase="kurwa", language="pl").exists()
    assert not WordListEntry.objects.filter(site=site, phrase="cunt").exists()
    assert [h.phrase for h in wordlists.matcher_for(site).find("Ty kurwo!")] == ["kurwa"]


# ---- routing: what the model does not read goes to a person --------------------------------------

FRENCH = "Le conseil municipal a voté pour le nouveau pont, mais les habitants ne sont pas d'accord."


def _post(site, body: str) -> Comment:
    result = services.post_comment(site=site, url="https://news.example/pont", body=body,
                                   author_name="Lecteur", actor=services.Actor(reader_id="lecteur-1"))
    return result.comment


@pytest.mark.django_db
def test_a_comment_in_a_language_the_model_does_not_read_waits_for_a_moderator(site):
    services.register_article(site, "https://news.example/pont", title="Le pont")
    comment = _post(site, FRENCH)
    assert comment.status == Comment.Status.PENDING
    [reason] = [r for r in Decision.objects.filter(comment=comment).latest("created_at").reasons
                if r["rule"] == "language_unsupported"]
    assert "(fr)" in reason["message"]


@pytest.mark.django_db
def test_a_site_may_publish_them_instead_still_marked(site):
    services.register_article(site, "https://news.example/pont", title="Le pont")
    ModerationSettings.objects.update_or_create(site=site, defaults={"hold_unsupported_languages": False})
    comment = _post(site, FRENCH)
    assert comment.status == Comment.Status.APPROVED
    rules = [r["rule"] for r in Decision.objects.filter(comment=comment).latest("created_at").reasons]
    assert "language_unsupported" in rules


@pytest.mark.django_db
def test_the_languages_the_model_reads_are_scored_not_held(site):
    services.register_article(site, "https://news.example/pont", title="Die Brücke")
    comment = _post(site, "Der Stadtrat hat die neue Brücke beschlossen, und das ist auch gut so.")
    assert comment.status == Comment.Status.APPROVED
    rules = [r["rule"] for r in Decision.objects.filter(comment=comment).latest("created_at").reasons]
    assert "language_unsupported" not in rules
