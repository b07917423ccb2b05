"""The transparency report: its figures over a period, and `agora transparency-report`."""

from __future__ import annotations

import json
from dataclasses import astuple
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agora.comments import services
from agora.comments.models import Comment
from agora.dsa import appeals, links, notices, report
from agora.dsa.models import Statement
from agora.moderation.models import Decision
from tests.dsa.helpers import NOTICE
from tests.moderation_workspace.factories import article, comment
from tests.servers import agora_env, free_port, run_agora

pytestmark = pytest.mark.django_db

MARCH = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def _stored(site, body: str) -> Comment:
    on = article(site)
    row = Comment.objects.create(site=site, article=on, author_name="Reader", reader_id=f"r-{body[:5]}",
                                 body=body, body_html=body, status="pending", created_at=at(1, 8))
    row.path, row.root_id = Comment.path_segment(row.pk), row.pk
    row.save(update_fields=["path", "root"])
    return row


def _decide(comment, status: str, when: datetime, phase: str = "", actor=None) -> Decision:
    source = Decision.Source.MODERATOR if actor else Decision.Source.PIPELINE
    reasons = [{"phase": phase, "rule": "r", "message": f"{phase} said so.", "spans": [], "scores": {}}]
    decision = Decision.objects.create(comment=comment, status=status, source=source, actor=actor,
                                       reasons=reasons if phase else [], created_at=when)
    services.set_status(comment, status)
    return decision


@pytest.fixture
def march(site, published, moderator, second_moderator):
    """A month of decisions, each at a known time."""
    _decide(_stored(site, "held by the word list"), "pending", at(2), "wordlist")
    undone = _stored(site, "rejected by the model")
    _decide(undone, "rejected", at(3), "model")
    _decide(undone, "approved", at(4), actor=moderator)
    appealed = _stored(site, "held by the model")
    _decide(appealed, "pending", at(3, 11), "model")
    _decide(_stored(site, "removed by a moderator"), "rejected", at(6), actor=moderator)
    statement = Statement.objects.get(comment=appealed)
    filed = appeals.file_for_statement(statement, services.Actor(), text="Why?", now=at(5),
                                       key=links.party_key(links.AUTHOR, statement.puid))
    appeals.decide(filed, second_moderator, outcome="reverse", reasons="Fine.", now=at(5, 12))
    form = notices.NoticeForm(published.pk, NOTICE["category"], "Defamation.", "Nora", "n@example.org", True)
    notice = notices.submit(form, services.Actor(), now=at(1, 10))
    notices.decide(notice, moderator, action="remove", ground="illegal", legal_ground="§ 186 StGB",
                   reasons="Defamation.", now=at(1, 14))
    next_month = comment(article(site), "Still published.", status="approved")
    notices.submit(notices.NoticeForm(next_month.pk, *astuple(form)[1:]), services.Actor(),
                   now=datetime(2026, 4, 2, tzinfo=UTC))


def test_the_figures_of_a_month(site, march):
    figures = report.build(site, *MARCH)

    assert figures["notices"]["total"] == 1
    assert figures["notices"]["by_outcome"] == {"open": 0, "actioned": 1, "no_action": 0}
    assert figures["notices"]["median_hours_to_action"] == 4.0
    assert figures["notices"]["decided_within_target"] == 1
    assert figures["notices"]["by_category"] == {NOTICE["category"]: 1}
    # The notice's removal was recorded today, outside March: four statements in the month.
    assert figures["statements_of_reasons"]["total"] == 4
    assert figures["statements_of_reasons"]["by_restriction"] == {"hold": 2, "removal": 2}
    assert figures["own_initiative"]["by_kind"] == {"human": 1, "model": 2, "rules": 1}
    assert figures["automated_means"] == {"automated_decisions": 3, "reversed_on_appeal": 1,
                                          "reversed_by_moderator": 1, "reversal_rate": 0.6667}
    assert figures["complaints"]["total"] == 1
    assert figures["complaints"]["by_outcome"]["reversed"] == 1
    assert figures["complaints"]["median_hours_to_decision"] == 2.0
    assert report.build(site)["notices"]["total"] == 2


def test_the_command_prints_json_csv_and_html(site, march):
    out = StringIO()
    call_command("transparency_report", site="chronicle", start="2026-03-01", end="2026-03-31", stdout=out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(report.build(site, *MARCH)))

    out = StringIO()
    call_command("transparency_report", site="chronicle", start="2026-03-01", end="2026-03-31", format="csv",
                 stdout=out)
    rows = out.getvalue().splitlines()
    assert rows[0] == "metric,value" and "statements_of_reasons.total,4" in rows
    out = StringIO()
    call_command("transparency_report", site="chronicle", format="html", stdout=out)
    assert out.getvalue().count("<svg") == 6 and "Transparency report: The Chronicle" in out.getvalue()


@pytest.mark.parametrize(("options", "message"), [
    ({"site": "nowhere"}, "No site"),
    ({"site": "chronicle", "start": "March"}, "YYYY-MM-DD"),
    ({"site": "chronicle", "start": "2026-04-01", "end": "2026-03-01"}, "after"),
])
def test_bad_command_input_is_explained(site, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("transparency_report", **options, stdout=StringIO())


def test_agora_transparency_report_runs_as_a_command(tmp_path):
    """The real `agora` executable, on an installation of its own."""
    env = agora_env(tmp_path, free_port(), "transparency-report-test")
    run_agora(env, "migrate", "-v", "0")
    seed = "from agora.comments.models import Site; Site.objects.create(slug='demo', name='D')"
    run_agora(env, "shell", "-c", seed)
    printed = run_agora(env, "transparency-report", "--site", "demo", "--format", "csv")
    assert printed.splitlines()[0] == "metric,value" and "notices.total,0" in printed.splitlines()


def test_pre_moderation_holds_do_not_count_against_the_automated_means(site, moderator):
    held = _stored(site, "held by pre-moderation")
    _decide(held, "pending", at(2), "trust")
    _decide(held, "approved", at(3), actor=moderator)
    figures = report.build(site, *MARCH)
    assert figures["statements_of_reasons"]["by_automation"] == {"fully": 1}
    assert figures["automated_means"] == {"automated_decisions": 0, "reversed_on_appeal": 0,
                                          "reversed_by_moderator": 0, "reversal_rate": None}
