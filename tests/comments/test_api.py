"""The reader API end to end through Django's test client: threads, posting, replies, votes,
edits, deletes, counts and every bad-input path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from agora.comments import services
from agora.comments.models import Article, Comment, Vote
from tests.api_client import post, reader_token

pytestmark = pytest.mark.django_db
ORIGIN = "https://news.example"


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ORIGIN=ORIGIN)


def thread(client: Client, url: str, token: str = "", **params) -> dict:
    response = client.get("/api/v1/threads", {"site": "chronicle", "url": url, **params},
                          HTTP_X_AGORA_READER=token)
    assert response.status_code == 200, response.content
    return response.json()


def test_first_comment_registers_the_article_and_appears_in_the_thread(site, client, article_url):
    created = post(client, article_url, "The *council* got this one right.", title="Bridge vote")
    assert created["status"] == 201
    assert created["result"] == "approved"
    assert created["comment"]["html"] == "<p>The <em>council</em> got this one right.</p>"

    article = Article.objects.get(site=site)
    assert (article.url, article.title, article.comment_count) == (article_url, "Bridge vote", 1)
    page = thread(client, article_url)
    assert [c["author"]["name"] for c in page["comments"]] == ["Ana"]
    assert page["article"]["comment_count"] == 1


def test_url_variants_share_one_article(site, client, article_url):
    post(client, article_url, "one")
    post(client, article_url.upper().replace("/2026/HARBOUR-BRIDGE", "/2026/harbour-bridge")
         + "/?utm_source=x#comments", "two")
    assert Article.objects.count() == 1
    assert Article.objects.get().comment_count == 2


def test_replies_nest_and_keep_tree_order(site, client, article_url):
    first = post(client, article_url, "top")["comment"]
    reply = post(client, article_url, "reply", parent=first["id"])["comment"]
    deeper = post(client, article_url, "deeper", parent=reply["id"])["comment"]
    second = post(client, article_url, "second top")["comment"]

    page = thread(client, article_url)
    assert [(c["id"], c["depth"]) for c in page["comments"]] == [
        (first["id"], 0), (reply["id"], 1), (deeper["id"], 2), (second["id"], 0)]
    stored = Comment.objects.get(pk=deeper["id"])
    assert stored.root_id == first["id"]
    assert Comment.objects.get(pk=first["id"]).reply_count == 1


def test_first_page_holds_back_replies_and_more_replies_fetches_them(site, client, article_url):
    root = post(client, article_url, "root")["comment"]
    replies = [post(client, article_url, f"reply {i}", parent=root["id"])["comment"] for i in range(7)]
    page = thread(client, article_url, replies=3)
    assert len(page["comments"]) == 4
    assert page["comments"][0]["hidden_replies"] == 4

    more = client.get(f"/api/v1/comments/{root['id']}/replies", {"offset": 3, "limit": 10}).json()
    assert [c["id"] for c in more["comments"]] == [r["id"] for r in replies[3:]]
    assert more["next_offset"] is None


def test_top_level_paging_and_sorts(site, client, article_url):
    ids = [post(client, article_url, f"comment {i}")["comment"]["id"] for i in range(5)]
    first = thread(client, article_url, page_size=2)
    assert [c["id"] for c in first["comments"]] == ids[:2]
    assert first["next_offset"] == 2 and first["total_top_level"] == 5
    newest = thread(client, article_url, sort="newest", page_size=2)
    assert [c["id"] for c in newest["comments"]] == ids[:-3:-1]

    voter = reader_token(client)
    client.post(f"/api/v1/comments/{ids[3]}/votes", {"value": 1}, content_type="application/json",
                HTTP_X_AGORA_READER=voter)
    top = thread(client, article_url, sort="top", page_size=1)
    assert top["comments"][0]["id"] == ids[3]


def test_stored_top_level_count_follows_posts_and_moderation(site, client, article_url):
    ids = [post(client, article_url, f"comment {i}")["comment"]["id"] for i in range(3)]
    post(client, article_url, "a reply is not top level", parent=ids[0])
    services.set_status(Comment.objects.get(pk=ids[1]), Comment.Status.REJECTED)
    page = thread(client, article_url, page_size=1)
    assert page["total_top_level"] == 2 and page["next_offset"] == 1
    assert thread(client, article_url, page_size=1, offset=1)["next_offset"] is None

    services.set_status(Comment.objects.get(pk=ids[1]), Comment.Status.APPROVED)
    article = Article.objects.get()
    assert (article.top_level_count, article.comment_count) == (3, 4)
    assert thread(client, article_url, page_size=2)["total_top_level"] == 3


def test_controversial_sort_prefers_evenly_split_votes(site, client, article_url):
    calm, split = (post(client, article_url, text)["comment"]["id"] for text in ("calm", "split"))
    for i, value in enumerate((1, -1, 1, -1)):
        token = reader_token(client)
        client.post(f"/api/v1/comments/{split}/votes", {"value": value},
                    content_type="application/json", HTTP_X_AGORA_READER=token)
        if i < 2:
            client.post(f"/api/v1/comments/{calm}/votes", {"value": 1},
                        content_type="application/json", HTTP_X_AGORA_READER=token)
    page = thread(client, article_url, sort="controversial")
    assert page["comments"][0]["id"] == split


def test_thread_cache_is_invalidated_by_writes(site, client, article_url):
    post(client, article_url, "first")
    assert len(thread(client, article_url)["comments"]) == 1
    post(client, article_url, "second")
    assert len(thread(client, article_url)["comments"]) == 2


def test_empty_and_whitespace_comments_are_refused(site, client, article_url):
    for body in ("", "   ", "\n\t \n"):
        result = post(client, article_url, body)
        assert result["status"] == 422
        assert result["code"] == "empty_comment"
        assert result["field"] == "body"
    assert not Comment.objects.exists()


def test_oversized_comment_is_refused_with_the_limit(site, client, article_url):
    result = post(client, article_url, "x" * 10_001)
    assert (result["status"], result["code"], result["field"]) == (422, "too_long", "body")
    assert "10,000" in result["message"]
    assert not Article.objects.exists()


def test_invalid_utf8_and_broken_json_get_a_clear_400(site, client):
    for raw in (b'{"site": "chronicle", "body": "\xff\xfe"}', b'{"site": '):
        response = client.post("/api/v1/comments", raw, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["code"] == "malformed_body"
    assert not Comment.objects.exists()


def test_validation_errors_name_the_field(site, client):
    response = client.post("/api/v1/comments", {"site": "chronicle", "body": "x"},
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "url"


def test_unknown_site_comment_and_parent(site, client, article_url, django_assert_num_queries):
    assert post(client, article_url, "x", site="nope")["code"] == "site_not_found"
    for not_a_slug in ("chronicle/..", "caf\u00e9 ; drop", ""):
        # Refused before a query or a cache key is built from the text.
        with django_assert_num_queries(0):
            assert post(client, article_url, "x", site=not_a_slug)["code"] == "site_not_found"
    assert client.get("/api/v1/comments/999999").status_code == 404
    assert post(client, article_url, "x", parent=999999)["code"] == "parent_not_found"
    assert client.get("/c/999999").status_code == 404


def test_reply_to_a_comment_of_another_article_is_refused(site, client, article_url):
    other = post(client, "https://news.example/other", "elsewhere")["comment"]
    result = post(client, article_url, "reply", parent=other["id"])
    assert (result["status"], result["code"]) == (422, "parent_mismatch")
    assert Comment.objects.count() == 1


def test_replies_deeper_than_the_stored_maximum_are_refused(site, client, article_url):
    site.max_depth = 2
    site.save()
    parent = None
    for depth in range(3):
        parent = post(client, article_url, f"level {depth}", parent=parent)["comment"]["id"]
    result = post(client, article_url, "too deep", parent=parent)
    assert (result["status"], result["code"]) == (422, "too_deep")


def test_closed_article_and_foreign_origin_are_refused(site, client, article_url):
    post(client, article_url, "before closing")
    Article.objects.update(is_closed=True)
    assert post(client, article_url, "after")["code"] == "article_closed"

    stranger = Client(HTTP_ORIGIN="https://evil.example")
    response = stranger.post("/api/v1/comments", {"site": "chronicle", "url": article_url, "body": "x",
                                                  "author_name": "x"}, content_type="application/json")
    refusal = response.json()
    assert (response.status_code, refusal["code"]) == (403, "origin_not_allowed")
    assert Comment.objects.count() == 1
    # The refusal, and only it, is readable by the refused origin: the widget tells the site's
    # owner which origin to allow and where.
    assert response["Access-Control-Allow-Origin"] == "https://evil.example"
    assert (refusal["origin"], refusal["site"]) == ("https://evil.example", "chronicle")
    site_id = Article.objects.get().site_id
    assert refusal["admin_url"].endswith(f"/admin/comments/site/{site_id}/change/")
    assert refusal["fix"].startswith("Add https://evil.example to the allowed origins of site 'chronicle'")
    unknown_site = stranger.get("/api/v1/threads", {"site": "nowhere", "url": article_url})
    assert unknown_site.status_code == 404 and "Access-Control-Allow-Origin" not in unknown_site


def test_cors_preflight_answers_allowed_origins_only(site, client):
    allowed = client.options("/api/v1/comments", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert allowed.status_code == 204
    assert allowed["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Agora-Reader" in allowed["Access-Control-Allow-Headers"]
    denied = Client(HTTP_ORIGIN="https://evil.example").options("/api/v1/comments")
    assert "Access-Control-Allow-Origin" not in denied


def test_a_vote_can_be_taken_back_and_switched(site, client, article_url):
    comment = post(client, article_url, "vote on me")["comment"]
    voter = reader_token(client)
    url = f"/api/v1/comments/{comment['id']}/votes"

    def vote(value: int, token: str = voter, address: str = "127.0.0.1") -> dict:
        response = client.post(url, {"value": value}, content_type="application/json",
                               HTTP_X_AGORA_READER=token, REMOTE_ADDR=address)
        assert response.status_code == 200, response.content
        body = response.json()
        return {k: body[k] for k in ("upvotes", "downvotes", "score")}

    assert vote(1) == {"upvotes": 1, "downvotes": 0, "score": 1}
    assert vote(1) == {"upvotes": 1, "downvotes": 0, "score": 1}  # the same vote again changes nothing
    assert vote(-1) == {"upvotes": 0, "downvotes": 1, "score": -1}  # switched
    # Another new reader, from another network (new readers of one network count once).
    assert vote(1, reader_token(client), "198.51.100.7") == {"upvotes": 1, "downvotes": 1, "score": 0}
    assert vote(0) == {"upvotes": 1, "downvotes": 0, "score": 1}  # taken back
    assert vote(0) == {"upvotes": 1, "downvotes": 0, "score": 1}
    assert Vote.objects.count() == 1
    assert vote(1) == {"upvotes": 2, "downvotes": 0, "score": 2}  # voted again after taking it back
    anonymous = client.post(url, {"value": 1}, content_type="application/json")
    assert anonymous.status_code == 403
    invalid = client.post(url, {"value": 2}, content_type="application/json", HTTP_X_AGORA_READER=voter)
    assert invalid.status_code == 422


def test_forged_reader_token_is_not_an_identity(site, client, article_url):
    comment = post(client, article_url, "x")["comment"]
    response = client.post(f"/api/v1/comments/{comment['id']}/votes", {"value": 1},
                           content_type="application/json", HTTP_X_AGORA_READER="forged:token")
    assert response.status_code == 403


def test_author_edits_within_the_window_only(site, client, article_url):
    token = reader_token(client)
    comment = post(client, article_url, "typo", token)["comment"]
    url = f"/api/v1/comments/{comment['id']}"
    edited = client.patch(url, {"body": "fixed"}, content_type="application/json",
                          HTTP_X_AGORA_READER=token)
    assert edited.status_code == 201
    assert edited.json()["comment"]["html"] == "<p>fixed</p>"
    assert edited.json()["comment"]["edited"] is not None

    someone_else = client.patch(url, {"body": "hijack"}, content_type="application/json",
                                HTTP_X_AGORA_READER=reader_token(client))
    assert (someone_else.status_code, someone_else.json()["code"]) == (403, "not_author")

    Comment.objects.filter(pk=comment["id"]).update(created_at=timezone.now() - timedelta(minutes=16))
    late = client.patch(url, {"body": "too late"}, content_type="application/json",
                        HTTP_X_AGORA_READER=token)
    assert (late.status_code, late.json()["code"]) == (403, "edit_window_closed")
    assert Comment.objects.get(pk=comment["id"]).body == "fixed"


def test_soft_delete_keeps_replies_visible(site, client, article_url):
    token = reader_token(client)
    parent = post(client, article_url, "regrettable", token)["comment"]
    reply = post(client, article_url, "an answer", parent=parent["id"])["comment"]
    deleted = client.delete(f"/api/v1/comments/{parent['id']}", HTTP_X_AGORA_READER=token)
    assert deleted.status_code == 200
    page = thread(client, article_url)
    shown = {c["id"]: c for c in page["comments"]}
    assert shown[parent["id"]]["deleted"] is True
    assert shown[parent["id"]]["html"] == "" and shown[parent["id"]]["author"]["name"] == "[deleted]"
    assert shown[reply["id"]]["html"] == "<p>an answer</p>"
    assert Comment.objects.get(pk=parent["id"]).body == ""
    assert page["article"]["comment_count"] == 1  # the placeholder is not counted


def test_deleted_comment_without_replies_leaves_the_thread_and_the_counts(site, client, article_url):
    token = reader_token(client)
    kept = post(client, article_url, "kept")["comment"]
    gone = post(client, article_url, "gone", token)["comment"]
    reply = post(client, article_url, "a reply, then gone", token, parent=kept["id"])["comment"]
    for comment in (gone, reply):
        deleted = client.delete(f"/api/v1/comments/{comment['id']}", HTTP_X_AGORA_READER=token)
        assert deleted.status_code == 200
    page = thread(client, article_url)
    assert [c["id"] for c in page["comments"]] == [kept["id"]]
    assert page["article"]["comment_count"] == 1 and page["total_top_level"] == 1
    assert page["comments"][0]["reply_count"] == 0
    replies = client.get(f"/api/v1/comments/{kept['id']}/replies").json()
    assert replies["comments"] == []
    counted = client.post("/api/v1/counts", {"site": "chronicle", "urls": [article_url]},
                          content_type="application/json").json()
    assert counted["counts"] == {article_url: 1}
    # Rejecting a deleted comment later does not take it off the counts a second time.
    services.set_status(Comment.objects.get(pk=gone["id"]), Comment.Status.REJECTED)
    assert Article.objects.get().comment_count == 1


def test_counts_for_many_urls_in_one_request(site, client, article_url):
    post(client, article_url, "one")
    post(client, article_url, "two")
    other = "https://news.example/other"
    post(client, other, "three")
    response = client.post("/api/v1/counts", {"site": "chronicle",
                                              "urls": [article_url, other, "https://news.example/none"]},
                           content_type="application/json")
    assert response.json()["counts"] == {article_url: 2, other: 1, "https://news.example/none": 0}


def test_markdown_is_sanitised_and_links_are_marked(site, client, article_url):
    body = ('<script>alert(1)</script> [a](javascript:alert(1)) [b](https://example.org) '
            '<img src=x onerror=alert(1)>\n\n> quoted\n\n- item\n\n`code`')
    html = post(client, article_url, body)["comment"]["html"]
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">b</a>' in html
    assert "<blockquote>" in html and "<li>item</li>" in html and "<code>code</code>" in html


def test_permalink_redirects_to_the_comment_in_its_article(site, client, article_url):
    comment = post(client, article_url, "link me")["comment"]
    response = client.get(f"/c/{comment['id']}")
    assert response.status_code == 302
    assert response["Location"] == f"{article_url}#agora-comment-{comment['id']}"


def test_publisher_registers_and_closes_an_article(site, client):
    url = "https://news.example/registered"
    payload = {"url": url, "title": "Registered", "published_at": "2026-11-01T08:00:00Z"}
    denied = client.put("/api/v1/sites/chronicle/articles", payload, content_type="application/json")
    assert denied.status_code == 403
    auth = {"HTTP_AUTHORIZATION": f"Bearer {site.api_key}"}
    created = client.put("/api/v1/sites/chronicle/articles", payload, content_type="application/json", **auth)
    assert created.status_code == 200 and created.json()["title"] == "Registered"
    client.put("/api/v1/sites/chronicle/articles", {"url": url, "is_closed": True},
               content_type="application/json", **auth)
    assert Article.objects.get(url=url).is_closed is True


def test_sites_without_auto_registration_refuse_unknown_articles(site, client, article_url):
    site.auto_register_articles = False
    site.save()
    result = post(client, article_url, "x")
    assert (result["status"], result["code"]) == (404, "article_not_found")


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/threads", "/api/v1/comments", "/api/v1/counts"} <= set(schema["paths"])
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "cdn." not in page and "/static/ninja/swagger-ui-bundle" in page
    policy = dict(part.strip().split(" ", 1) for part in docs["Content-Security-Policy"].split(";"))
    scripts = policy["script-src"].split()
    assert len(scripts) == 2 and all("/static/ninja/swagger-ui-" in source for source in scripts)
    assert "'self'" not in scripts and "'unsafe-inline'" not in scripts
    assert policy["frame-ancestors"].startswith("'self'")


def test_staff_badge_marks_the_sites_moderators_only(site, client, article_url):
    from agora.accounts.models import SiteRole, User
    from agora.comments import services
    from agora.comments.models import Site

    moderator = User.objects.create_user("mod", display_name="The Moderator")
    SiteRole.objects.create(user=moderator, site=site)
    elsewhere = User.objects.create_user("other", display_name="Other Site Moderator")
    SiteRole.objects.create(user=elsewhere, site=Site.objects.create(slug="other", name="Other"))
    for user in (moderator, elsewhere):
        services.post_comment(site=site, url=article_url, body=f"hello from {user.username}",
                              actor=services.Actor(user=user))
    post(client, article_url, "a reader")
    badges = {c["author"]["name"]: c["author"]["badge"] for c in thread(client, article_url)["comments"]}
    assert badges == {"The Moderator": "staff", "Other Site Moderator": None, "Ana": None}
