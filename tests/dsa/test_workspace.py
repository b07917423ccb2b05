"""The notice and complaint queues and the transparency page in the moderation workspace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from agora.comments import services
from agora.comments.models import Comment
from agora.dsa import appeals, links, notices
from agora.dsa.models import Appeal, Notice, Statement, TrustedFlagger
from agora.moderation import actions
from agora.moderation.models import AuditEntry
from tests.dsa.conftest import make_user, staff
from tests.dsa.helpers import NOTICE
from tests.moderation_workspace.factories import article, comment

pytestmark = pytest.mark.django_db


def _notice(comment_id: int, name: str = "Nora", user=None, now=None) -> Notice:
    form = notices.NoticeForm(comment_id, NOTICE["category"], "Defamation of the mayor.", name,
                              f"{name.lower()}@example.org", True)
    return notices.submit(form, services.Actor(user=user), now=now)


def test_the_notice_queue_shows_timers_and_trusted_flaggers_first(client, site, moderator, published):
    flagger = make_user("hateaid")
    TrustedFlagger.objects.create(site=site, user=flagger, organisation="HateAid")
    overdue = _notice(published.pk, "Old", now=timezone.now() - timedelta(hours=30))
    trusted = _notice(published.pk, "Desk", user=flagger)
    client.force_login(moderator)

    page = client.get("/moderate/dsa/notices").content.decode()
    assert page.index(f'id="notice-{trusted.pk}"') < page.index(f'id="notice-{overdue.pk}"')
    assert "Trusted flagger: HateAid" in page
    assert "overdue by 6.0 h" in page
    assert "Defamation of the mayor." in page


def test_a_moderator_removes_a_noticed_comment_and_everyone_is_told(client, moderator, published, mailoutbox,
                                                                     committing):
    notice = _notice(published.pk)
    client.force_login(moderator)
    with committing():
        response = client.post(f"/moderate/dsa/notices/{notice.pk}/decide", {
            "action": "remove", "ground": "illegal", "legal_ground": "§ 186 StGB",
            "reasons": "Unproven accusation of bribery against a named person."})
    assert response.status_code == 302

    notice.refresh_from_db()
    assert notice.status == Notice.Status.ACTIONED and notice.decided_by == moderator
    assert Comment.objects.get(pk=published.pk).status == "rejected"
    statement = Statement.objects.get(notice=notice)
    assert (statement.ground, statement.legal_ground, statement.source) == ("illegal", "§ 186 StGB", "notice")
    assert statement.automation == Statement.Automation.NOT_AUTOMATED
    entry = AuditEntry.objects.get(action="notice.decide")
    assert entry.actor == moderator and entry.after["status"] == "actioned"
    decision_mail = mailoutbox[-1]
    assert decision_mail.to == ["nora@example.org"] and "no automated means" in decision_mail.body


def test_an_illegal_removal_needs_the_law_and_stores_nothing_without_it(client, moderator, published):
    notice = _notice(published.pk)
    client.force_login(moderator)
    response = client.post(f"/moderate/dsa/notices/{notice.pk}/decide", {
        "action": "remove", "ground": "illegal", "reasons": "Illegal."}, follow=True)
    assert "Name the law the content breaks." in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.OPEN
    assert Comment.objects.get(pk=published.pk).status == "approved"
    assert not Statement.objects.filter(notice=notice).exists()
    assert not AuditEntry.objects.filter(action="notice.decide").exists()


def test_moderators_of_other_sites_see_nothing(client, other_site, published):
    notice = _notice(published.pk)
    client.force_login(staff("otto", other_site))
    assert f"notice-{notice.pk}" not in client.get("/moderate/dsa/notices").content.decode()
    decide = {"action": "no_action", "reasons": "x"}
    response = client.post(f"/moderate/dsa/notices/{notice.pk}/decide", decide)
    assert response.status_code == 404
    assert client.post("/moderate/dsa/notices/999999/decide", {"action": "no_action"}).status_code == 404
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.OPEN


def test_readers_cannot_open_the_queues(client, published):
    assert client.get("/moderate/dsa/notices").status_code == 302  # to the login page
    client.force_login(make_user("carl"))
    assert client.get("/moderate/dsa/appeals").status_code == 403


def test_the_complaint_queue_keeps_the_first_moderator_out(client, site, moderator, second_moderator):
    removed = comment(article(site), "Removed by mona.", status="approved")
    actions.reject(removed, moderator, "Off-topic.")
    statement = Statement.objects.get(comment=removed)
    filed = appeals.file_for_statement(statement, services.Actor(), text="It was on topic.",
                                       key=links.party_key(links.AUTHOR, statement.puid))

    client.force_login(moderator)
    page = client.get("/moderate/dsa/appeals").content.decode()
    assert "another moderator must decide" in page and f"/moderate/dsa/appeals/{filed.pk}/decide" not in page
    client.post(f"/moderate/dsa/appeals/{filed.pk}/decide", {"outcome": "reverse", "reasons": "Mine."})
    assert Appeal.objects.get(pk=filed.pk).status == Appeal.Status.OPEN

    client.force_login(second_moderator)
    assert f"/moderate/dsa/appeals/{filed.pk}/decide" in client.get("/moderate/dsa/appeals").content.decode()
    client.post(f"/moderate/dsa/appeals/{filed.pk}/decide", {"outcome": "reverse", "reasons": "On topic."})
    assert Appeal.objects.get(pk=filed.pk).status == Appeal.Status.REVERSED
    assert Comment.objects.get(pk=removed.pk).status == "approved"
    assert "On topic." in client.get("/moderate/dsa/appeals?status=reversed").content.decode()


def test_the_transparency_page_is_for_site_admins(client, site, moderator, site_admin, published):
    _notice(published.pk)
    client.force_login(moderator)
    assert client.get("/moderate/dsa/transparency").status_code == 403
    assert client.get("/moderate/dsa/statements.json").status_code == 403

    client.force_login(site_admin)
    page = client.get("/moderate/dsa/transparency", {"site": "chronicle"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<strong id="notices-total">1</strong>' in html and html.count("<svg") == 6
    figures = client.get("/moderate/dsa/transparency.json", {"site": "chronicle"}).json()
    assert figures["notices"]["total"] == 1
    csv_rows = client.get("/moderate/dsa/transparency.csv").content.decode().splitlines()
    assert csv_rows[0] == "metric,value" and "notices.total,1" in csv_rows
    assert client.get("/moderate/dsa/transparency.xml").status_code == 404


def test_the_statement_export_has_the_transparency_database_shape(client, site, site_admin):
    comment(article(site), "Held.")
    client.force_login(site_admin)
    exported = client.get("/moderate/dsa/statements.json", {"site": "chronicle"}).json()
    [row] = exported["statements"]
    assert row["puid"] == Statement.objects.get().puid
    assert row["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DISABLED"]
    assert row["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    tomorrow = (timezone.now() + timedelta(days=1)).date().isoformat()
    later = client.get("/moderate/dsa/statements.json", {"site": "chronicle", "from": tomorrow}).json()
    assert later["statements"] == []
