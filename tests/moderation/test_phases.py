"""Each pipeline phase on its own: structure and standing, user names, links, repeats and floods,
trust and pre-moderation, slow mode, the external hook, phase order."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from agora import identity
from agora.comments.models import Article, Comment
from agora.moderation.models import Standing
from agora.moderation.pipeline import Refusal, Submission, moderate
from tests.api_client import post, reader_token
from tests.moderation.conftest import post_direct

pytestmark = pytest.mark.django_db
LONG_TEXT = "Vote for the harbour plan, it is the only sensible option on the table!"


def rules(result) -> list[str]:
    return [reason.rule for reason in result.verdict.reasons]


# ---- structure ---------------------------------------------------------------------------------

def test_structure_rejects_empty_too_long_and_closed_for_direct_callers(site, article_url, without_model):
    article = Article.objects.create(site=site, url=article_url, is_closed=True)
    submit = lambda body: moderate(Submission(site=site, article=article, body=body, author_name="A"))  # noqa: E731
    assert [r.rule for r in submit("   ").reasons][:1] == ["empty"]
    assert [r.rule for r in submit("x" * (site.max_comment_length + 1)).reasons][:1] == ["too_long"]
    verdict = submit("Fine words.")
    assert (verdict.status, verdict.reasons[0].rule) == ("rejected", "closed")


def test_banned_author_is_refused_with_the_reason(site, article_url, without_model):
    Standing.objects.create(site=site, reader_id="r-banned", banned=True, ban_reason="Repeated abuse.")
    with pytest.raises(Refusal) as refused:
        post_direct(site, article_url, "Hello again.", reader="r-banned")
    assert refused.value.code == "banned" and "Repeated abuse." in refused.value.message
    assert not Comment.objects.exists()


def test_ban_by_email_catches_a_new_reader_id(site, article_url, without_model):
    Standing.objects.create(site=site, email="troll@example.org", banned=True)
    with pytest.raises(Refusal):
        post_direct(site, article_url, "New identity.", reader="fresh", author_email="Troll@example.org")


def test_suspension_ends_on_time(site, article_url, without_model):
    standing = Standing.objects.create(site=site, reader_id="r1", suspension_reason="Cool off.",
                                       suspended_until=timezone.now() + timedelta(hours=1))
    with pytest.raises(Refusal) as refused:
        post_direct(site, article_url, "Hello.", reader="r1")
    assert refused.value.code == "suspended"
    standing.suspended_until = timezone.now() - timedelta(seconds=1)
    standing.save()
    assert post_direct(site, article_url, "Hello.", reader="r1").comment.status == "approved"


# ---- user names ----------------------------------------------------------------------------------

def test_user_name_is_checked_at_first_use_and_remembered(site, article_url, without_model):
    assert post_direct(site, article_url, "Hi.", name="Harbour Watcher").comment.status == "approved"
    assert Standing.objects.get(reader_id="reader-1").checked_name == "Harbour Watcher"
    held = post_direct(site, article_url, "Hi again.", name="Proud Retard")
    assert (held.comment.status, rules(held)) == ("pending", ["suspect_name"])
    rejected = post_direct(site, article_url, "Hi.", reader="r2", name="n1gg3r hater")
    assert (rejected.comment.status, rules(rejected)) == ("rejected", ["banned_name"])


# ---- links ---------------------------------------------------------------------------------------

def test_links_from_new_commenters_are_held_until_one_comment_is_approved(site, article_url, without_model):
    first = post_direct(site, article_url, "Source: https://example.org/report.pdf")
    assert (first.comment.status, rules(first)) == ("pending", ["link_from_new_commenter"])
    assert first.verdict.reasons[0].spans[0][2] == "https://example.org/report.pdf"
    post_direct(site, article_url, "A plain comment.")
    later = post_direct(site, article_url, "See www.example.org/more for details.")
    assert later.comment.status == "approved"


def test_allowed_and_own_domains_pass_denied_domains_reject(site, article_url, without_model):
    without_model.link_allow_domains = ["gov.uk"]
    without_model.link_deny_domains = ["spam.example"]
    without_model.save()
    assert post_direct(site, article_url, "https://www.legislation.gov.uk/act").comment.status == "approved"
    assert post_direct(site, article_url, "See https://news.example/other").comment.status == "approved"
    denied = post_direct(site, article_url, "cheap pills at https://shop.spam.example/buy", reader="r9")
    assert (denied.comment.status, rules(denied)) == ("rejected", ["denied_domain"])


# ---- repeats and floods --------------------------------------------------------------------------

def test_same_text_by_same_author_is_held(site, article_url, without_model):
    assert post_direct(site, article_url, LONG_TEXT).comment.status == "approved"
    again = post_direct(site, article_url, LONG_TEXT.upper())
    assert (again.comment.status, rules(again)) == ("pending", ["repeat_same_author"])


def test_same_text_across_articles_is_held_and_short_texts_are_not(site, article_url, without_model):
    post_direct(site, article_url, LONG_TEXT, reader="a")
    across = post_direct(site, "https://news.example/other", LONG_TEXT, reader="b")
    assert rules(across) == ["repeat_across_articles"]
    post_direct(site, article_url, "Agreed!", reader="a")
    assert post_direct(site, "https://news.example/other", "Agreed!", reader="a").comment.status == "approved"


def test_rate_limit_per_author_refuses_the_next_comment(site, article_url, without_model):
    without_model.rate_limit_per_author = 2
    without_model.save()
    for n in range(2):
        post_direct(site, article_url, f"Comment number {n}.")
    with pytest.raises(Refusal) as limited:
        post_direct(site, article_url, "One too many.")
    assert limited.value.throttled and "Try again in" in limited.value.message
    assert post_direct(site, article_url, "Someone else.", reader="other").comment is not None


def test_rate_limit_reaches_the_api_as_429(site, client, article_url, without_model):
    without_model.rate_limit_per_author = 1
    without_model.save()
    token = reader_token(client)
    assert post(client, article_url, "First word.", token)["status"] == 201
    limited = post(client, article_url, "Second word.", token)
    assert (limited["status"], limited["code"]) == (429, "rate_limited")


def test_rate_limit_counts_a_whole_network(site, article_url, without_model):
    without_model.rate_limit_per_ip = 2
    without_model.save()
    post_direct(site, article_url, "one", reader="a", ip="203.0.113.7")
    post_direct(site, article_url, "two", reader="b", ip="203.0.113.200")
    with pytest.raises(Refusal):
        post_direct(site, article_url, "three", reader="c", ip="203.0.113.9")
    assert post_direct(site, article_url, "four", reader="d", ip="203.0.114.9").comment is not None


def test_networks_are_slash_24_and_slash_48():
    assert identity.network_of("203.0.113.77") == "203.0.113.0/24"
    assert identity.network_of("2001:db8:abcd:12::1") == "2001:db8:abcd::/48"
    assert identity.network_of("::ffff:198.51.100.4") == "198.51.100.0/24"
    assert identity.network_of("not an ip") == ""
    assert identity.network_of("127.0.0.1") == identity.network_of("::1") == ""


# ---- trust, pre-moderation, slow mode ------------------------------------------------------------

def test_trust_ramp_holds_until_enough_comments_are_approved(site, article_url, without_model):
    without_model.trust_ramp_approved = 2
    without_model.save()
    first = post_direct(site, article_url, "First thoughts.")
    assert (first.comment.status, rules(first)) == ("pending", ["trust_ramp"])
    Comment.objects.filter(pk=first.comment.pk).update(status="approved")
    assert post_direct(site, article_url, "Second thoughts.").comment.status == "pending"
    Comment.objects.filter(status="pending").update(status="approved")
    assert post_direct(site, article_url, "Third thoughts.").comment.status == "approved"


def test_trusted_author_skips_the_ramp_and_premoderated_author_is_held(site, article_url, without_model):
    without_model.trust_ramp_approved = 5
    without_model.save()
    Standing.objects.create(site=site, reader_id="trusted", trusted=True)
    Standing.objects.create(site=site, reader_id="watched", always_premoderate=True)
    assert post_direct(site, article_url, "Hello.", reader="trusted").comment.status == "approved"
    watched = post_direct(site, article_url, "Hello.", reader="watched")
    assert rules(watched) == ["author_premoderated"]


def test_site_premoderation_holds_everything(site, article_url, without_model):
    without_model.premoderate_all = True
    without_model.save()
    result = post_direct(site, article_url, "Hello.")
    assert (result.comment.status, rules(result)) == ("pending", ["site_premoderated"])


def test_slow_mode_allows_one_comment_per_interval(site, article_url, without_model):
    article = Article.objects.create(site=site, url=article_url, slow_mode_seconds=120)
    post_direct(site, article.url, "First.")
    with pytest.raises(Refusal) as limited:
        post_direct(site, article.url, "Second.")
    assert limited.value.code == "slow_mode"
    assert post_direct(site, article.url, "Another reader.", reader="other").comment is not None


# ---- external hook -------------------------------------------------------------------------------

class _Hook(BaseHTTPRequestHandler):
    answer: dict = {}
    delay = 0.0
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        time.sleep(type(self).delay)
        payload = json.dumps(type(self).answer).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except BrokenPipeError:  # the pipeline gave up waiting, as it should
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def hook_server(without_model):
    _Hook.answer, _Hook.delay, _Hook.received = {}, 0.0, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    without_model.hook_url = f"http://127.0.0.1:{server.server_address[1]}/check"
    without_model.hook_secret = "s3cret"
    without_model.hook_timeout_seconds = 0.5
    without_model.save()
    yield _Hook
    server.shutdown()
    server.server_close()


def test_hook_is_signed_and_its_answer_decides(site, article_url, hook_server):
    hook_server.answer = {"action": "reject", "reason": "Named a minor."}
    result = post_direct(site, article_url, "Some text.")
    assert (result.comment.status, rules(result)) == ("rejected", ["hook_reject"])
    assert "Named a minor." in result.verdict.reasons[0].message
    headers, body = hook_server.received[0]
    expected = hmac.new(b"s3cret", headers["X-Agora-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Agora-Signature"] == f"sha256={expected}"
    assert json.loads(body)["comment"]["body"] == "Some text."


def test_hook_timeout_is_skipped_with_a_note(site, article_url, hook_server):
    hook_server.answer, hook_server.delay = {"action": "reject"}, 1.5
    started = time.monotonic()
    result = post_direct(site, article_url, "Some text.")
    assert time.monotonic() - started < 1.4
    assert (result.comment.status, rules(result)) == ("approved", ["hook_timeout"])


def test_hook_does_not_run_once_an_earlier_phase_decided(site, article_url, hook_server):
    hook_server.answer = {"action": "approve"}
    result = post_direct(site, article_url, "You absolute c-u-n-t.")
    assert result.comment.status == "rejected"
    assert hook_server.received == []


# ---- order ---------------------------------------------------------------------------------------

def test_first_decisive_phase_wins_and_later_phases_still_annotate(site, article_url, without_model):
    without_model.premoderate_all = True
    without_model.save()
    result = post_direct(site, article_url, "Only a sl*t would say that.")
    assert result.comment.status == "rejected"
    assert rules(result) == ["banned_word", "site_premoderated"]
    without_model.phase_order = ["trust", "wordlist"]
    without_model.save()
    result = post_direct(site, article_url, "Only a sl*t would say that, really.", reader="r2")
    assert result.comment.status == "pending"
    assert rules(result) == ["site_premoderated", "banned_word"]
