"""The queue, the dashboard and the audit log as a moderator sees them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agora.comments.models import Comment
from agora.moderation import actions
from agora.moderation.models import Flag
from tests.moderation_workspace import factories

pytestmark = pytest.mark.django_db


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="card"[^>]*data-id="(\d+)"', html)


def test_card_shows_context_highlights_reasons_and_scores(mod_client, site):
    article = factories.article(site, title="Bridge <vote>")
    parent = factories.comment(article, "The council should decide.", status="approved")
    body = "You <b>idiot</b>, go away & stay away."
    model = {"phase": "model", "rule": "insult", "message": "Insult 0.93", "spans": [[0, 3, "You"]],
             "scores": {"insult": 0.93}}
    reasons = [*factories.toxic_reasons(body, "idiot"), model]
    held = factories.comment(article, body, parent=parent, reasons=reasons,
                             scores={"toxicity": 0.91, "insult": 0.93, "threat": 0.02})
    Flag.objects.create(comment=held, reason="abusive", explanation="Name-calling <again>", reporter="r:1")

    html = mod_client.get("/moderate/queue/pending").content.decode()

    assert _cards(html) == [str(held.pk)]
    # Spans are marked; user text stays escaped, inside and outside the marks.
    assert '<mark title="insult">You</mark> &lt;b&gt;<mark title="banned_word">idiot</mark>&lt;/b&gt;, ' \
           'go away &amp; stay away.' in html
    assert "<b>idiot</b>" not in html and "Bridge &lt;vote&gt;" in html
    assert "The council should decide." in html  # the parent, for context
    assert "word list: banned word" in html and "model: insult" in html and "flag: abusive (1)" in html
    assert "Name-calling &lt;again&gt;" in html
    assert 'aria-label="insult"' in html and 'style="inline-size: 93%"' in html
    assert f'href="/moderate/authors/reader/{held.reader_id}"' in html
    assert re.search(r'Pending <span class="count">1</span>', html)
    assert re.search(r'Flagged <span class="count">1</span>', html)
    assert re.search(r'Approved <span class="count">1</span>', html)


def test_queues_filters_and_priority_sort(mod_client, moderator, site):
    bridge, budget = factories.article(site, "bridge"), factories.article(site, "budget", "Budget")
    mild = factories.comment(bridge, "Mild.", scores={"toxicity": 0.2})
    worst = factories.comment(bridge, "Worst.", scores={"toxicity": 0.4, "threat": 0.97},
                              reasons=[{"phase": "model", "rule": "threat", "message": "", "spans": []}])
    flagged = factories.comment(budget, "Flagged twice.", status="approved", author_name="Fay")
    for reporter in ("a", "b"):
        Flag.objects.create(comment=flagged, reason="spam", reporter=reporter)
    rejected = factories.comment(budget, "Rejected.", status="rejected")

    def ids(url: str) -> list[str]:
        return _cards(mod_client.get(url).content.decode())

    assert ids("/moderate/queue/pending") == [str(worst.pk), str(mild.pk)]
    assert ids("/moderate/queue/pending?sort=oldest") == [str(mild.pk), str(worst.pk)]
    assert ids("/moderate/queue/flagged") == [str(flagged.pk)]
    assert ids("/moderate/queue/rejected") == [str(rejected.pk)]
    assert ids(f"/moderate/queue/all?article={budget.pk}&sort=oldest") == [str(flagged.pk), str(rejected.pk)]
    assert ids("/moderate/queue/all?rule=threat") == [str(worst.pk)]
    assert ids("/moderate/queue/all?label=threat") == [str(worst.pk)]
    assert ids("/moderate/queue/all?author=fay") == [str(flagged.pk)]
    assert ids("/moderate/queue/all?sort=flags")[0] == str(flagged.pk)
    # A moderator's decision after the flags takes the comment out of the flagged queue.
    actions.approve(flagged, moderator)
    assert ids("/moderate/queue/flagged") == []
    assert mod_client.get("/moderate/queue/nonsense").status_code == 404


def test_the_queue_page_loads_its_script_and_csrf_token(mod_client, site):
    factories.comment(factories.article(site), "Held.")
    html = mod_client.get("/moderate/queue/pending").content.decode()
    assert '<script src="/moderate/assets/queue.js" defer></script>' in html
    assert 'name="csrfmiddlewaretoken"' in html and 'aria-live="polite"' in html
    script = mod_client.get("/moderate/assets/queue.js")
    assert script["Content-Type"].startswith("text/javascript") and b"X-CSRFToken" in script.content
    assert b"innerHTML" not in script.content
    assert mod_client.get("/moderate/assets/secrets.py").status_code == 404


def _queue_of(size: int, site) -> str:
    """A pending queue of `size` flagged, highlighted, scored comments, half of them replies."""
    article = factories.article(site, f"story-{size}")
    parent = factories.comment(article, "Parent.", status="approved")
    for i in range(size):
        body = f"Comment {i} is rude."
        row = factories.comment(article, body, parent=parent if i % 2 else None,
                                reasons=factories.toxic_reasons(body, "rude"), scores={"toxicity": i / size})
        if i % 3 == 0:
            Flag.objects.create(comment=row, reason="abusive", reporter=f"r{i}")
    return f"/moderate/queue/pending?article={article.pk}"


def test_queue_queries_do_not_grow_with_the_page(mod_client, site, django_assert_max_num_queries):
    small, large = _queue_of(10, site), _queue_of(100, site)
    with CaptureQueriesContext(connection) as queries:
        assert len(_cards(mod_client.get(small).content.decode())) == 10
    assert len(queries) <= 15
    with django_assert_max_num_queries(len(queries)):
        assert len(_cards(mod_client.get(large).content.decode())) == 100


def test_dashboard_draws_escaped_svg_charts(mod_client, moderator, site):
    article = factories.article(site, "hot", title='Hot <script>alert("x")</script> topic')
    for i in range(4):
        row = factories.comment(article, f"Comment {i}", status="approved" if i % 2 else "pending",
                                scores={"toxicity": i / 4, "insult": 0.9})
        Flag.objects.create(comment=row, reason="abusive", reporter="r")
    factories.comment(article, "Gone.", status="rejected")

    html = mod_client.get("/moderate/dashboard").content.decode()

    assert html.count("<svg") == 4 + 7  # four charts and one score histogram per label
    assert "Comments per hour, last 48 hours" in html and "Pending comments by age" in html
    assert "<script>alert" not in html and "Hot &lt;script&gt;alert(&quot;x&quot;)" in html
    assert "held and rejected" in html and "Most flagged articles" in html
    assert re.search(r"<title>[^<]*: 4</title>", html)  # the article's four flags
    assert "5 comments, 2 held and 1 rejected" in html


def test_audit_log_filters_and_csv_export(mod_client, moderator, site):
    article = factories.article(site)
    held = factories.comment(article, "Held.")
    actions.approve(held, moderator, reason="=HYPERLINK(\"x\")")
    actions.close_article(article, moderator, True, "Legal, \"quoted\"")

    page = mod_client.get("/moderate/audit?action=article.").content.decode()
    assert "article.close" in page and "comment.approve" not in page
    assert "comment.approve" in mod_client.get("/moderate/audit?actor=mona").content.decode()
    assert "No entries." in mod_client.get("/moderate/audit?actor=nobody").content.decode()
    assert "No entries." in mod_client.get("/moderate/audit?since=2999-01-01").content.decode()

    response = mod_client.get("/moderate/audit.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["action"] for r in rows] == ["article.close", "comment.approve"]
    assert rows[0]["reason"] == 'Legal, "quoted"' and rows[0]["actor"] == "mona"
    assert rows[0]["before"] == '{"is_closed": false, "premoderate": false, "slow_mode_seconds": 0}'
    assert rows[1]["reason"].startswith("'=HYPERLINK")  # no formula injection into spreadsheets
    assert rows[1]["target_id"] == str(held.pk) and rows[1]["site"] == "chronicle"
    filtered = b"".join(mod_client.get("/moderate/audit.csv?action=comment.").streaming_content).decode()
    assert "article.close" not in filtered and filtered.count("\n") == 2


def test_queue_never_shows_deleted_comments(mod_client, site):
    held = factories.comment(factories.article(site), "Deleted by its author.")
    Comment.objects.filter(pk=held.pk).update(is_deleted=True, body="")
    assert _cards(mod_client.get("/moderate/queue/all").content.decode()) == []
