"""Every locale is complete: each server message and each widget string translated, with the
source's placeholders, and the committed .mo files compiled from the .po files as they are."""

from __future__ import annotations

import json

import polib
import pytest

from agora.i18n import catalogs, marked
from agora.i18n.languages import LANGUAGES
from agora.i18n.management.commands.catalogs import widget_file

LOCALES = [code for code, _name in LANGUAGES if code != "en"]
SERVER = dict(catalogs.server_catalogues())


@pytest.mark.parametrize("code", LOCALES)
def test_every_server_message_is_translated_with_its_placeholders(code):
    problems = catalogs.server_problems(SERVER[code])
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("code", LOCALES)
def test_the_committed_mo_is_compiled_from_the_po(code):
    assert catalogs.compiled_matches(SERVER[code]), f"run `agora catalogs --compile` for {code}"


@pytest.fixture(scope="module")
def marked_messages() -> set[tuple[str | None, str]]:
    found = marked.marked()
    assert ("queue", "Pending") in found and (None, "Approve selected") in found  # the finder works
    return found


@pytest.mark.parametrize("code", LOCALES)
def test_every_message_the_code_marks_is_in_the_catalogue(code, marked_messages):
    """A string marked in a template or module after the catalogues were last refreshed
    (`make messages`) would be shown in English: it must be in every catalogue."""
    catalogue = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(SERVER[code]))}
    missing = sorted(marked_messages - catalogue, key=str)
    assert not missing, f"{len(missing)} message(s) missing, run `make messages`: {missing[:10]}"


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    if not (catalogs.WIDGET_DIR / "en.json").exists():
        pytest.skip("the widget has no English catalogue (agora/comments/static/agora/i18n/en.json)")
    return catalogs.widget_catalogue("en")


@pytest.mark.parametrize("code", LOCALES)
def test_every_widget_string_is_translated_with_its_placeholders(code, english):
    problems = catalogs.widget_problems(widget_file(code), english)
    assert not problems, "\n".join(map(str, problems))


def test_brazilian_portuguese_is_the_widgets_portuguese():
    # The widget asks for `pt-BR.json` and its base `pt.json`; `pt.json` serves every pt-* page.
    assert widget_file("pt-br") == "pt"
    assert (catalogs.WIDGET_DIR / "pt.json").exists()


# ---- the checks themselves catch what they should ----------------------------------------------

def _po(tmp_path, msgid: str, msgstr: str, plural: tuple[str, list[str]] | None = None):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": f"nplurals={len(plural[1]) if plural else 2}; plural=(n != 1);"}
    if plural:
        po.append(polib.POEntry(msgid=msgid, msgid_plural=plural[0],
                                msgstr_plural=dict(enumerate(plural[1]))))
    else:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path = tmp_path / "django.po"
    po.save(str(path))
    return path


@pytest.mark.parametrize("msgstr, what", [
    ("", "untranslated"),
    ("Kommentar %(id)s", "placeholders differ"),                  # lost %(status)s
    ("Kommentar %(id)s %(state)s.", "placeholders differ"),        # renamed
    ("Kommentar %(id)s %(status)s %(status)s.", "placeholders differ"),
])
def test_server_check_catches_missing_and_broken_translations(tmp_path, msgstr, what):
    path = _po(tmp_path, "Comment %(id)s %(status)s.", msgstr)
    [problem] = catalogs.server_problems(path)
    assert problem.what.startswith(what)


def test_server_check_lets_special_plural_forms_drop_only_the_number(tmp_path):
    forms = ["لا تعليقات على %(site)s", "تعليق واحد على %(site)s", "تعليقان على %(site)s",
             "%(count)d تعليقات على %(site)s", "%(count)d تعليقًا على %(site)s",
             "%(count)d تعليق على %(site)s"]
    plural = ("%(count)d comments on %(site)s", forms)
    assert catalogs.server_problems(_po(tmp_path, "%(count)d comment on %(site)s", "", plural)) == []
    forms[1] = "تعليق واحد"  # lost the site as well
    assert catalogs.server_problems(_po(tmp_path, "%(count)d comment on %(site)s", "", plural))


def test_widget_check_catches_missing_extra_and_broken_strings(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogs, "WIDGET_DIR", tmp_path)
    english = {"reply_to": "Reply to {name}", "comments_one": "{count} comment",
               "comments_other": "{count} comments", "nudge_other": "Part of this may break the rules."}
    (tmp_path / "pl.json").write_text(json.dumps({
        "reply_to": "Odpowiedz {nazwa}", "comments_one": "1 komentarz", "comments_few": "{count} komentarze",
        "comments_other": "{count} komentarzy", "nudge_other": "", "extra": "x"}), encoding="utf-8")
    problems = {(p.message, p.what.split(" in '")[0]) for p in catalogs.widget_problems("pl", english)}
    assert problems == {("reply_to", "placeholders differ"), ("comments_many", "untranslated"),
                        ("nudge_other", "untranslated"), ("extra", "not in the English catalogue")}
