"""Internal complaints (Art. 20): who may file them, when, how often, and who decides them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agora.comments import services
from agora.comments.models import Comment
from agora.dsa import appeals, links, notices
from agora.dsa.models import Appeal, Notice, Statement
from agora.errors import Conflict, Forbidden
from agora.moderation import actions
from agora.moderation.models import AuditEntry, Decision
from tests.dsa.helpers import NOTICE, appeal, reader_token
from tests.moderation_workspace.factories import article, comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def removal(site, moderator) -> Statement:
    """A comment by an anonymous reader, removed by a moderator."""
    removed = comment(article(site), "The councillor lied about the tender.", status="approved",
                      reader_id="author-reader")
    actions.reject(removed, moderator, "Unfounded accusation.")
    return Statement.objects.get(comment=removed)


def _key(statement: Statement) -> str:
    return links.party_key(links.AUTHOR, statement.puid)


def test_the_author_files_a_complaint_with_the_statement_link(client, removal, mailoutbox, committing):
    with committing():
        status, body = appeal(client, f"statements/{removal.puid}", key=_key(removal),
                              email="ana@example.org")
    assert status == 201 and body["status"] == "open"
    filed = Appeal.objects.get()
    assert filed.party == Appeal.Party.AUTHOR and filed.first_moderator == removal.moderator
    assert filed.due_at == filed.filed_at + timedelta(hours=72)
    assert AuditEntry.objects.filter(action="appeal.file", target_id=str(filed.pk)).exists()
    assert mailoutbox[0].to == ["ana@example.org"]
    shown = client.get(f"/api/v1/dsa/statements/{removal.puid}", {"key": _key(removal)}).json()
    assert shown["appeal"]["reference"] == filed.reference


def test_the_author_may_also_prove_it_with_their_reader_token(removal):
    filed = appeals.file_for_statement(removal, services.Actor(reader_id="author-reader"),
                                       text="Please look again.")
    assert filed.statement == removal


@pytest.mark.parametrize(("who", "key"), [("stranger", ""), ("stranger", "forged-key"), ("", "")])
def test_nobody_else_can_file_a_complaint(client, removal, who, key):
    token = reader_token(client) if who else ""
    status, body = appeal(client, f"statements/{removal.puid}", token, key=key)
    assert (status, body["code"]) == (403, "not_a_party")
    assert not Appeal.objects.exists()


def test_a_notifier_key_is_not_an_author_key(client, removal):
    notifier_key = links.party_key(links.NOTIFIER, removal.puid)
    status, _ = appeal(client, f"statements/{removal.puid}", key=notifier_key)
    assert status == 403


def test_a_complaint_after_the_window_is_refused(removal):
    late = removal.appeal_until + timedelta(minutes=1)
    with pytest.raises(Forbidden) as refused:
        appeals.file_for_statement(removal, services.Actor(), text="Too late?", key=_key(removal), now=late)
    assert refused.value.code == "appeal_window_closed"
    assert not Appeal.objects.exists()
    in_time = removal.appeal_until - timedelta(minutes=1)
    assert appeals.file_for_statement(removal, services.Actor(), text="Just in time.", key=_key(removal),
                                      now=in_time).filed_at == in_time


def test_a_second_complaint_is_refused(client, removal):
    assert appeal(client, f"statements/{removal.puid}", key=_key(removal))[0] == 201
    status, body = appeal(client, f"statements/{removal.puid}", key=_key(removal), text="Again.")
    assert (status, body["code"]) == (409, "already_appealed")
    assert Appeal.objects.count() == 1


def test_empty_complaints_and_unknown_statements(client, removal):
    status, body = appeal(client, f"statements/{removal.puid}", key=_key(removal), text="   ")
    assert (status, body["code"], body["field"]) == (422, "text_required", "text")
    status, body = appeal(client, "statements/0123456789abcdef", key=_key(removal))
    assert (status, body["code"]) == (404, "statement_not_found")
    status, body = appeal(client, "notices/0123456789abcdef")
    assert (status, body["code"]) == (404, "notice_not_found")
    assert client.get("/api/v1/dsa/statements/nope").status_code == 404
    assert not Appeal.objects.exists()


def test_a_lifted_restriction_cannot_be_appealed(client, removal, second_moderator):
    page = client.get(f"/dsa/statements/{removal.puid}", {"key": _key(removal)}).content.decode()
    assert "File complaint" in page
    actions.approve(removal.comment, second_moderator)
    page = client.get(f"/dsa/statements/{removal.puid}", {"key": _key(removal)}).content.decode()
    assert "File complaint" not in page and 'id="no-appeal"' in page
    with pytest.raises(Conflict) as refused:
        appeals.file_for_statement(removal, services.Actor(), text="Restore it.", key=_key(removal))
    assert refused.value.code == "not_restricted"


def test_the_first_moderator_may_not_decide_and_another_one_reverses(removal, moderator, second_moderator,
                                                                      mailoutbox, committing):
    filed = appeals.file_for_statement(removal, services.Actor(), text="It was a quote.", key=_key(removal),
                                       email="ana@example.org")
    with pytest.raises(Forbidden) as refused:
        appeals.decide(filed, moderator, outcome="reverse", reasons="On reflection.")
    assert refused.value.code == "same_moderator"
    assert Comment.objects.get(pk=removal.comment_id).status == "rejected"

    with committing():
        decided = appeals.decide(filed, second_moderator, outcome="reverse",
                                 reasons="A fair quote of the ruling.")
    assert decided.status == Appeal.Status.REVERSED and decided.decided_by == second_moderator
    assert Comment.objects.get(pk=removal.comment_id).status == "approved"
    restore = Decision.objects.filter(comment_id=removal.comment_id).first()
    assert restore.source == "moderator" and restore.actor == second_moderator
    entry = AuditEntry.objects.get(action="appeal.reverse")
    assert entry.actor == second_moderator and entry.after["status"] == "reversed"
    assert AuditEntry.objects.filter(action="comment.approve", actor=second_moderator).exists()
    assert "A fair quote of the ruling." in mailoutbox[-1].body
    with pytest.raises(Conflict):
        appeals.decide(filed, second_moderator, outcome="uphold", reasons="Changed my mind.")


def test_an_automated_decision_can_be_decided_by_any_moderator_and_upheld(site, moderator):
    held = comment(article(site), "Held by the word list.", reader_id="r1")
    statement = Statement.objects.get(comment=held)
    filed = appeals.file_for_statement(statement, services.Actor(reader_id="r1"), text="Why?")
    assert filed.first_moderator is None
    decided = appeals.decide(filed, moderator, outcome="uphold", reasons="The word is banned here.")
    assert decided.status == Appeal.Status.UPHELD
    assert Comment.objects.get(pk=held.pk).status == "pending"


def test_a_reversed_ban_is_lifted(site, moderator, second_moderator):
    standing = actions.standing_for(site, reader_id="banned-reader")
    actions.ban(standing, moderator, "Insults.")
    statement = Statement.objects.get(restriction=Statement.Restriction.BAN)
    filed = appeals.file_for_statement(statement, services.Actor(reader_id="banned-reader"), text="Sorry.")
    appeals.decide(filed, second_moderator, outcome="reverse", reasons="First offence.")
    standing.refresh_from_db()
    assert not standing.banned
    assert AuditEntry.objects.filter(action="author.unban", actor=second_moderator).exists()


def test_the_notifier_contests_a_decision_not_to_act(client, published, moderator, second_moderator):
    token = reader_token(client)
    notice = notices.submit(notices.NoticeForm(published.pk, NOTICE["category"], "Defamation.", "Nora",
                                               "nora@example.org", True),
                            services.Actor(reader_id="notifier-reader"))
    key = links.party_key(links.NOTIFIER, notice.reference)
    assert appeal(client, f"notices/{notice.reference}", key=key)[1]["code"] == "not_contestable"
    notices.decide(notice, moderator, action="no_action", reasons="Fair comment on a public figure.")

    assert appeal(client, f"notices/{notice.reference}", token)[1]["code"] == "not_a_party"
    status, _ = appeal(client, f"notices/{notice.reference}", key=key)
    assert status == 201
    filed = Appeal.objects.get(notice=notice)
    assert filed.first_moderator == moderator and filed.contact_email == "nora@example.org"

    appeals.decide(filed, second_moderator, outcome="reverse", reasons="It names no evidence.",
                   legal_ground="§ 186 StGB (defamation)")
    assert Comment.objects.get(pk=published.pk).status == "rejected"
    statement = Statement.objects.get(comment=published, restriction=Statement.Restriction.REMOVAL)
    assert statement.notice == notice and statement.source == Statement.Source.NOTICE
    assert statement.ground == Statement.Ground.ILLEGAL
    assert statement.legal_ground == "§ 186 StGB (defamation)"
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.ACTIONED


def test_the_notifier_complaint_window_counts_from_the_decision(published, moderator):
    notice = notices.submit(notices.NoticeForm(published.pk, NOTICE["category"], "Defamation.", "Nora",
                                               "nora@example.org", True), services.Actor())
    decided = notices.decide(notice, moderator, action="no_action", reasons="Lawful.")
    key = links.party_key(links.NOTIFIER, notice.reference)
    with pytest.raises(Forbidden):
        appeals.file_for_notice(decided, services.Actor(), text="Late.", key=key,
                                now=decided.decided_at + timedelta(days=200))
    assert not Appeal.objects.exists()


def test_the_statement_page_form_files_the_complaint_or_explains_why_not(client, removal):
    path = f"/dsa/statements/{removal.puid}/appeal"
    refused = client.post(path, {"key": _key(removal), "text": "  "}, follow=True)
    assert "Explain why the decision should be changed." in refused.content.decode()
    assert not Appeal.objects.exists()
    assert client.post(path, {"text": "No key."}).status_code == 404
    assert not Appeal.objects.exists()
    filed = client.post(path, {"key": _key(removal), "text": "A quote."}, follow=True).content.decode()
    assert "Your complaint was received." in filed and 'id="appeal-status">Open' in filed
    assert Appeal.objects.get().text == "A quote."
