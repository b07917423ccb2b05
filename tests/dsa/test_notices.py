"""Notices of illegal content (Art. 16) through the API and the server-rendered form."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agora.comments import services
from agora.dsa import notices
from agora.dsa.models import DsaSettings, Notice, TrustedFlagger
from agora.moderation import flags
from agora.moderation.models import AuditEntry, Flag
from tests.dsa.conftest import make_user
from tests.dsa.helpers import NOTICE, reader_token, send_notice

pytestmark = pytest.mark.django_db


def test_a_notice_is_stored_acknowledged_and_counts_as_a_flag(client, published, mailoutbox, committing):
    token = reader_token(client)
    with committing():
        status, body = send_notice(client, published.pk, token)

    assert status == 201
    notice = Notice.objects.get()
    assert body["reference"] == notice.reference and body["status"] == "open"
    assert notice.location.endswith(f"/c/{published.pk}")
    assert notice.notifier_email == "nora@example.org" and notice.good_faith
    assert notice.due_at - notice.received_at == timedelta(hours=24)
    assert Flag.objects.get(comment=published).reason == Flag.Reason.ILLEGAL
    assert AuditEntry.objects.filter(action="notice.receive", target_id=str(notice.pk)).exists()
    [receipt] = mailoutbox
    assert receipt.to == ["nora@example.org"]
    assert notice.reference[:8] in receipt.subject and body["url"] in receipt.body


@pytest.mark.parametrize(("changes", "code", "field"), [
    ({"category": ""}, "category_required", "category"),
    ({"category": "STATEMENT_CATEGORY_MADE_UP"}, "category_required", "category"),
    ({"explanation": "   "}, "explanation_required", "explanation"),
    ({"notifier_name": ""}, "name_required", "notifier_name"),
    ({"notifier_email": ""}, "email_required", "notifier_email"),
    ({"notifier_email": "not-an-address"}, "invalid_email", "notifier_email"),
    ({"good_faith": False}, "good_faith_required", "good_faith"),
])
def test_missing_notice_details_are_refused_and_nothing_is_stored(client, published, mailoutbox, committing,
                                                                   changes, code, field):
    with committing():
        status, body = send_notice(client, published.pk, reader_token(client), **changes)

    assert status == 422
    assert (body["code"], body["field"]) == (code, field)
    assert body["message"]
    assert not Notice.objects.exists() and not Flag.objects.exists() and not mailoutbox
    assert not AuditEntry.objects.filter(action="notice.receive").exists()


def test_child_sexual_abuse_notices_may_be_anonymous(client, published):
    status, body = send_notice(client, published.pk, category="STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
                               notifier_name="", notifier_email="")
    assert status == 201
    assert Notice.objects.get(reference=body["reference"]).notifier_email == ""


def test_unknown_or_unpublished_comments_cannot_be_noticed(client, published):
    assert send_notice(client, 999_999)[0] == 404
    services.set_status(published, "rejected")
    status, body = send_notice(client, published.pk)
    assert (status, body["code"]) == (404, "comment_not_found")
    assert not Notice.objects.exists()


def test_a_second_open_notice_from_the_same_notifier_is_refused_not_merged(client, published):
    token = reader_token(client)
    first = send_notice(client, published.pk, token)[1]
    status, body = send_notice(client, published.pk, token, explanation="Said again.")
    assert (status, body["code"]) == (409, "already_noticed")
    assert first["reference"][:8] in body["message"]
    # Someone else's notice about the same comment is a notice of its own.
    assert send_notice(client, published.pk, reader_token(client), notifier_email="ola@example.org")[0] == 201
    assert Notice.objects.count() == 2


def test_a_plain_illegal_flag_becomes_a_notice(published):
    flags.flag(published, services.Actor(reader_id="flagger"), "illegal", "Incites violence.")
    notice = Notice.objects.get()
    assert notice.from_flag and notice.notifier_key == "reader:flagger"
    assert notice.explanation == "Incites violence."
    assert notice.category == "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE"


def test_trusted_flaggers_go_first_with_their_own_target(client, site, published):
    DsaSettings.objects.create(site=site, notice_sla_hours=48, trusted_notice_sla_hours=4)
    flagger = make_user("hateaid")
    TrustedFlagger.objects.create(site=site, user=flagger, organisation="HateAid")
    ordinary = notices.submit(notices.NoticeForm(published.pk, NOTICE["category"], "Defamation.", "Ann",
                                                 "ann@example.org", True), services.Actor(reader_id="ann"))
    later = ordinary.received_at + timedelta(hours=1)
    trusted = notices.submit(notices.NoticeForm(published.pk, NOTICE["category"], "Defamation.", "HateAid",
                                                "desk@hateaid.example", True),
                             services.Actor(user=flagger), now=later)

    assert trusted.is_trusted and trusted.due_at == later + timedelta(hours=4)
    assert ordinary.due_at == ordinary.received_at + timedelta(hours=48)
    assert list(notices.queue(frozenset({site.pk}))) == [trusted, ordinary]
    timer = notices.timer(ordinary.received_at, ordinary.due_at, ordinary.received_at + timedelta(hours=50))
    assert timer.overdue and timer.overdue_hours == 2 and timer.age_hours == 50


def test_the_notice_form_page_keeps_the_input_on_error_and_stores_on_success(client, published, mailoutbox,
                                                                             committing):
    page = client.get(f"/dsa/notice?comment={published.pk}")
    assert page.status_code == 200
    assert "The mayor takes bribes" in page.content.decode()

    form = {"comment": published.pk, "category": NOTICE["category"],
            "explanation": "Defamation of the mayor.", "notifier_name": "Nora",
            "notifier_email": "nora@example.org"}
    refused = client.post("/dsa/notice", form)
    assert refused.status_code == 422
    assert "good faith" in refused.content.decode() and "Defamation of the mayor." in refused.content.decode()
    assert not Notice.objects.exists()

    with committing():
        received = client.post("/dsa/notice", {**form, "good_faith": "on"})
    assert received.status_code == 201
    notice = Notice.objects.get()
    assert notice.reference[:8] in received.content.decode()
    assert len(mailoutbox) == 1
    status_page = client.get(f"/dsa/notices/{notice.reference}", {"key": _key(received.content.decode())})
    assert status_page.status_code == 200 and "Open" in status_page.content.decode()
    assert client.get(f"/dsa/notices/{notice.reference}").status_code == 404  # no key, no page
    assert client.get("/dsa/notice?comment=424242").status_code == 404


def _key(page: str) -> str:
    return page.split("?key=")[1].split('"')[0]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/dsa/notices/{}", "/api/v1/dsa/statements/{}"])
@pytest.mark.parametrize("reference", ["%C3%93%3C%00%C2%88", "0" * 31, "Z" * 32])
def test_a_reference_that_cannot_exist_is_not_found_without_a_query(client, path, reference,
                                                                   django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(path.format(reference))
    assert response.status_code == 404
    assert response.json()["code"] in ("notice_not_found", "statement_not_found")
