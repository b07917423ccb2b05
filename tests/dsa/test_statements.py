"""Statements of reasons (Art. 17): written for every restriction, immutable, shown to the author,
mailed to verified authors, exported in the Transparency Database's layout."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agora.comments import services
from agora.comments.models import Comment
from agora.dsa import links, statements, tdb
from agora.dsa.models import DsaSettings, ImmutableError, Statement
from agora.moderation import actions
from agora.moderation.models import ModerationSettings, WordListEntry, WordListState
from tests.dsa.conftest import make_user
from tests.dsa.helpers import reader_token
from tests.moderation_workspace.factories import article, comment, toxic_reasons

pytestmark = pytest.mark.django_db

URL = "https://news.example/harbour-bridge"


def _post(client, token: str, body: str = "The toll plan ignores the ferry users.") -> dict:
    response = client.post("/api/v1/comments", {"site": "chronicle", "url": URL, "body": body,
                                                "author_name": "Ana"},
                           content_type="application/json", HTTP_X_AGORA_READER=token)
    return response.json()


def test_a_pipeline_hold_gets_an_automated_statement_the_author_can_read(client, site):
    ModerationSettings.objects.create(site=site, premoderate_all=True)
    token = reader_token(client)
    posted = _post(client, token)
    assert posted["result"] == "pending"

    statement = Statement.objects.get()
    assert statement.restriction == Statement.Restriction.HOLD
    assert statement.automation == Statement.Automation.FULLY and statement.automated_detection
    assert statement.phase == "trust" and statement.model_version == ""
    assert statement.ground == Statement.Ground.INCOMPATIBLE and "site_premoderated" in statement.rule
    assert statement.appeal_until == statements.add_months(statement.created_at, 6)

    own = client.get(f"/api/v1/dsa/comments/{posted['comment']['id']}/statement", HTTP_X_AGORA_READER=token)
    assert own.status_code == 200
    assert own.json()["puid"] == statement.puid and own.json()["url"] == links.statement_url(statement.puid)
    someone_else = client.get(f"/api/v1/dsa/comments/{posted['comment']['id']}/statement",
                              HTTP_X_AGORA_READER=reader_token(client))
    assert someone_else.status_code == 404
    page = client.get(f"/dsa/statements/{statement.puid}", {"key": links.party_key("author", statement.puid)})
    assert page.status_code == 200 and "Decided by automated means" in page.content.decode()
    assert client.get(f"/dsa/statements/{statement.puid}").status_code == 404


def test_a_model_decision_names_the_model_version(site):
    held = comment(article(site), "You people are vermin.", reasons=[
        {"phase": "model", "rule": "toxicity",
         "message": "The model scores this comment high for insult 0.93.", "spans": [],
         "scores": {"insult": 0.93}}])
    statement = Statement.objects.get(comment=held)
    assert statement.phase == "model" and statement.model_version.startswith("shipped-")
    assert "insult 0.93" in statement.facts


def test_annotations_are_not_the_deciding_phase(site):
    held = comment(article(site), "Ban the cars.", reasons=[
        {"phase": "model", "rule": "language_unsupported", "message": "Unsupported.", "spans": [],
         "scores": {}},
        *toxic_reasons("Ban the cars.", "cars")])
    assert Statement.objects.get(comment=held).phase == "wordlist"


def test_a_moderator_removal_after_an_automated_hold_is_a_human_statement(site, moderator):
    held = comment(article(site), "Buy watches at cheap-watches.example", reasons=[
        {"phase": "links", "rule": "link_from_new_commenter", "message": "Links from a new commenter.",
         "spans": [], "scores": {}}])
    actions.reject(held, moderator, "Advertising is not allowed.")

    removal = Statement.objects.get(comment=held, restriction=Statement.Restriction.REMOVAL)
    assert removal.automation == Statement.Automation.NOT_AUTOMATED and removal.moderator == moderator
    assert removal.automated_detection  # the links phase had held it first
    assert removal.facts == "Advertising is not allowed." and removal.phase == "moderator"
    assert Statement.objects.filter(comment=held).count() == 2  # the hold had its own statement
    actions.approve(held, moderator)
    assert Statement.objects.filter(comment=held).count() == 2  # approving restricts nothing


def test_bans_and_suspensions_get_statements(site, moderator):
    author = make_user("troll")
    standing = actions.standing_for(site, user=author)
    actions.ban(standing, moderator, "Repeated insults against other readers.")
    actions.suspend(actions.standing_for(site, reader_id="anon-7"), moderator, 48, "Spam burst.")

    ban = Statement.objects.get(restriction=Statement.Restriction.BAN)
    assert ban.author_user == author and ban.facts == "Repeated insults against other readers."
    suspension = Statement.objects.get(restriction=Statement.Restriction.SUSPENSION)
    assert suspension.author_reader_id == "anon-7" and suspension.ends_at is not None


def test_statements_are_immutable(site):
    comment(article(site), "Held.")
    statement = Statement.objects.get()
    statement.facts = "Rewritten."
    with pytest.raises(ImmutableError):
        statement.save()
    with pytest.raises(ImmutableError):
        Statement.objects.update(facts="Rewritten.")
    with pytest.raises(ImmutableError):
        Statement.objects.all().delete()
    with pytest.raises(ImmutableError):
        statement.delete()
    assert Statement.objects.get().facts != "Rewritten."


def test_verified_authors_receive_the_statement_by_mail(site, moderator, mailoutbox, committing):
    verified = make_user("vera", email_verified=True)
    unverified = make_user("ulf")
    on = article(site)
    with committing():
        actions.reject(comment(on, "First.", status="approved", author=verified), moderator, "Off-topic.")
        actions.reject(comment(on, "Second.", status="approved", author=unverified), moderator, "Off-topic.")
    [sent] = mailoutbox
    statement = Statement.objects.get(author_user=verified)
    assert sent.to == ["vera@example.org"] and links.statement_url(statement.puid) in sent.body
    assert "Off-topic." in sent.body


def test_the_transparency_database_layout(site, moderator):
    DsaSettings.objects.create(site=site, community_rules_url="https://news.example/rules",
                               territorial_scope=["DE", "AT"])
    removed = comment(article(site), "Spam spam.", status="approved")
    Comment.objects.filter(pk=removed.pk).update(created_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    actions.reject(services.get_comment(removed.pk), moderator, "Spam.")
    statement = Statement.objects.get(comment=removed)

    [row] = list(tdb.export([statement]))
    assert row["puid"] == statement.puid
    assert row["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert row["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert row["decision_ground_reference_url"] == "https://news.example/rules"
    assert row["incompatible_content_explanation"] == "Spam." and row["incompatible_content_illegal"] == "No"
    assert row["category"] == "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"
    assert row["content_type"] == ["CONTENT_TYPE_TEXT"] and row["content_date"] == "2026-03-01"
    assert row["application_date"] == statement.created_at.date().isoformat()
    assert row["territorial_scope"] == ["DE", "AT"]
    assert (row["source_type"], row["automated_detection"], row["automated_decision"]) == (
        "SOURCE_VOLUNTARY", "No", "AUTOMATED_DECISION_NOT_AUTOMATED")
    assert "Spam spam." not in str(row) and "Reader" not in str(row)  # no content, no personal data


def test_ban_rows_restrict_the_service_not_a_comment(site, moderator):
    actions.ban(actions.standing_for(site, user=make_user("troll")), moderator, "Threats.")
    [row] = list(tdb.export(Statement.objects.all()))
    assert "decision_visibility" not in row
    assert row["decision_provision"] == "DECISION_PROVISION_TOTAL_TERMINATION"
    assert row["decision_account"] == "DECISION_ACCOUNT_TERMINATED"


def test_add_months_keeps_the_day_or_takes_the_last_one():
    end_of_august = datetime(2026, 8, 31, 12, tzinfo=UTC)
    assert statements.add_months(end_of_august, 6) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert statements.add_months(datetime(2026, 1, 15, tzinfo=UTC), 6) == datetime(2026, 7, 15, tzinfo=UTC)


def test_a_comment_rejected_at_posting_links_its_author_to_the_statement(client, site):
    WordListState.objects.create(site=site, defaults_loaded=True)
    WordListEntry.objects.create(site=site, phrase="scoundrel", kind=WordListEntry.Kind.BANNED)
    token = reader_token(client)
    posted = _post(client, token, "The minister is a scoundrel.")
    assert posted["result"] == "rejected"
    own = client.get(f"/api/v1/dsa/comments/{posted['comment']['id']}/statement", HTTP_X_AGORA_READER=token)
    statement = own.json()
    assert statement["restriction"] == "removal" and statement["phase"] == "wordlist"
    assert statement["automation"] == "fully"
    assert "scoundrel" in statement["facts"]
    assert client.get("/api/v1/dsa/comments/987654/statement", HTTP_X_AGORA_READER=token).status_code == 404


def test_the_author_is_shown_the_latest_statement_of_their_comment(client, site, moderator):
    ModerationSettings.objects.create(site=site, premoderate_all=True)
    token = reader_token(client)
    posted = _post(client, token)
    held = services.get_comment(posted["comment"]["id"])
    actions.reject(held, moderator, "Advertising is not allowed.")
    removal = Statement.objects.get(comment=held, restriction=Statement.Restriction.REMOVAL)
    assert Statement.objects.filter(comment=held).count() == 2  # the hold's, then the removal's
    own = client.get(f"/api/v1/dsa/comments/{held.pk}/statement", HTTP_X_AGORA_READER=token)
    assert own.json()["puid"] == removal.puid
