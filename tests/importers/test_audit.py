"""`agora audit`: the thread with each comment's decision, labels and spans; totals; three outputs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from agora.importers import services, trial
from agora.moderation import pipeline
from tests.importers.conftest import fixture_path

JSON_KEYS = ["article", "author", "depth", "text", "decision", "labels", "reasons"]

PAGE = """MAY 2024

Bridge <b>closed</b>

  \u2022 Ana <img src=x onerror=alert(1)>

    You idiot, <script>alert('x')</script> & more

    \u2022 Ben

      Calm down\u2026

  \u2022 Cleo

    Fine article.
"""


def _strict_pipeline(submission: pipeline.Submission) -> pipeline.Verdict:
    """A stand-in policy with spans and scores, so the report's rendering is checked exactly."""
    start = submission.body.find("idiot")
    if start < 0:
        return pipeline.Verdict(pipeline.APPROVED)
    reason = pipeline.Reason("wordlist", "insult_word", "Insulting word.", ((start, start + 5, "idiot"),),
                             {"insult": 0.93, "toxicity": 0.71, "threat": 0.02})
    return pipeline.Verdict(pipeline.REJECTED, (reason,))


@pytest.fixture
def audited(db, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "moderate", _strict_pipeline)
    monkeypatch.delattr(pipeline, "moderate_many", raising=False)
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    site = trial.make_site(None)
    summary = services.import_file(site, "page", str(path), trial.audit_options(progress=False))
    return site, summary


def test_json_lines_contract(audited):
    site, _summary = audited
    out = io.StringIO()
    trial.write_json(site, out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [list(row) for row in rows] == [JSON_KEYS] * 3
    assert [(r["author"], r["depth"], r["decision"]) for r in rows] == [
        ("Ana <img src=x onerror=alert(1)>", 0, "rejected"), ("Ben", 1, "approved"), ("Cleo", 0, "approved")]
    first = rows[0]
    assert first["article"] == "Bridge <b>closed</b>"
    assert first["text"] == "You idiot, <script>alert('x')</script> & more"
    assert first["labels"] == ["insult", "toxicity"]  # scores >= 0.5, highest first
    assert first["reasons"][0]["rule"] == "insult_word"
    assert first["reasons"][0]["spans"] == [[4, 9, "idiot"]]
    assert rows[1]["labels"] == [] and rows[1]["reasons"] == []


def test_text_report_with_and_without_colour(audited):
    site, summary = audited
    plain = io.StringIO()
    trial.write_text(site, plain, summary, colour=False)
    text = plain.getvalue()
    assert "== Bridge <b>closed</b> ==" in text
    assert "REJECTED Ana <img src=x onerror=alert(1)> [insult, toxicity]" in text
    assert "    APPROVED Ben" in text  # indented under its parent
    assert "-> insult_word: Insulting word." in text
    assert "3 comments: 2 approved (66.7%), 0 pending (0.0%), 1 rejected (33.3%)" in text
    assert "rejected because of insult_word: 1" in text
    assert "\033[" not in text
    coloured = io.StringIO()
    trial.write_text(site, coloured, summary, colour=True)
    assert "You \033[1;4;31midiot\033[0m, <script>" in coloured.getvalue()


def test_html_report_is_escaped_and_highlights_spans(audited):
    site, summary = audited
    out = io.StringIO()
    trial.write_html(site, out, summary, "page<1>.txt")
    page = out.getvalue()
    assert "<script>" not in page and "<img" not in page and "<b>closed" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
    assert "You <mark>idiot</mark>," in page
    assert "Moderation audit of page&lt;1&gt;.txt" in page
    assert '<div class="c rejected"' in page and "insult_word" in page
    assert "http" not in page.replace("https://audit.invalid", "")  # self-contained: nothing loaded


def test_unknown_site_settings_are_refused(db):
    with pytest.raises(ValueError, match="unknown site settings: colour"):
        trial.make_site({"colour": "red"})


def test_audit_command_uses_a_throwaway_database(tmp_path):
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps({"moderation": {"premoderate_all": True}}))
    html_file = tmp_path / "report.html"
    env = {**os.environ, "AGORA_DATA_DIR": str(tmp_path / "data"),
           "AGORA_DATABASE_URL": f"sqlite:///{tmp_path / 'main.sqlite3'}"}
    (tmp_path / "data").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "agora.cli", "audit", fixture_path("wxr-1.2-https.xml"), "--json",
         "--no-progress", "--html", str(html_file), "--site-settings", str(settings_file)],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["author"] for row in rows] == ["Léa “the reader”", "Sam", "Léa “the reader”", "Casino"]
    assert [row["depth"] for row in rows] == [0, 1, 2, 0]
    assert all(list(row) == JSON_KEYS for row in rows)
    assert {row["decision"] for row in rows} == {"pending"}  # the given settings hold everything
    assert "Moderation audit of wxr-1.2-https.xml" in html_file.read_text()
    assert not (tmp_path / "main.sqlite3").exists()  # the configured database was never touched


def test_audit_command_reports_a_malformed_file(tmp_path):
    env = {**os.environ, "AGORA_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "agora.cli", "audit", fixture_path("wxr-malformed.xml"), "--no-progress"],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode != 0
    assert "wxr-malformed.xml: line 44, column" in result.stderr
