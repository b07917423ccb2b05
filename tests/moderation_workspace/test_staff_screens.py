"""Staff screens read as words: the author panel is titled with the author's name and caps the
same-network list, the audit log shows changes field by field and targets by name and link,
labels have spaces, counts have the right plural."""

from __future__ import annotations

import asyncio

import orjson
import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient

from agora.comments import services
from agora.comments.models import Comment
from agora.moderation import actions, authors, flags
from agora.moderation.models import Standing
from tests.live.helpers import next_events
from tests.moderation_workspace import factories

pytestmark = pytest.mark.django_db


def test_the_author_panel_names_the_author_and_caps_the_same_network_list(mod_client, site):
    on = factories.article(site)
    factories.comment(on, "Mine.", status="approved", author_name="Grace Hopper", reader_id="reader-grace",
                      ip="203.0.113.7")
    gone = factories.comment(on, "Regretted.", status="approved", author_name="Grace Hopper",
                             reader_id="reader-grace", ip="203.0.113.7")
    Comment.objects.filter(pk=gone.pk).update(is_deleted=True, body="")
    for n in range(authors.SAME_ADDRESS_SHOWN + 3):
        factories.comment(on, f"Neighbour {n}.", status="approved", author_name=f"Neighbour {n}",
                          reader_id=f"reader-n{n}", ip=f"203.0.113.{20 + n}")
    html = mod_client.get("/moderate/authors/reader/reader-grace").content.decode()
    assert "<h1>Grace Hopper</h1>" in html and "<title>Grace Hopper" in html
    assert "2 comments on your sites." in html
    assert "13 other authors posted from the same network." in html
    assert "The 10 most relevant" in html
    assert html.count("Neighbour ") == authors.SAME_ADDRESS_SHOWN
    assert "Deleted by its author." in html and "Regretted." not in html
    single = mod_client.get("/moderate/authors/reader/reader-n0").content.decode()
    assert "1 comment on your sites." in single


def test_the_audit_log_names_targets_and_lists_changes(mod_client, moderator, site):
    on = factories.article(site, title="Harbour bridge vote")
    held = factories.comment(on, "You are all wrong about the toll.", author_name="Lin",
                             reader_id="reader-lin")
    actions.approve(held, moderator)
    standing = Standing.objects.create(site=site, reader_id="reader-lin")
    actions.ban(standing, moderator, "Insults")
    html = mod_client.get("/moderate/audit").content.decode()
    assert "Lin: “You are all wrong about the toll.”" in html
    assert f'href="/c/{held.pk}"' in html
    assert 'href="/moderate/authors/reader/reader-lin"' in html
    assert "<dt>status</dt><dd><del>pending</del> → <ins>approved</ins></dd>" in html
    assert "<dt>banned</dt><dd><del>no</del> → <ins>yes</ins></dd>" in html
    assert "{&#x27;" not in html and "standing " not in html  # no raw JSON, no "standing 15"


def test_labels_read_as_words(mod_client, site):
    on = factories.article(site)
    factories.comment(on, "Held for review.", scores={"sexually_explicit": 0.91})
    html = mod_client.get("/moderate/queue/pending").content.decode()
    assert '<option value="sexually_explicit" >sexually explicit</option>' in html
    assert ">sexually explicit</span>" in html


@pytest.mark.django_db(transaction=True)
def test_flags_reach_the_moderators_stream_so_the_flagged_count_moves(site, moderator, settings):
    settings.LIVE_HEARTBEAT_SECONDS = 0.2
    settings.REDIS_URL = None
    on = factories.article(site)
    flagged = factories.comment(on, "Spam, surely.", status="approved")

    async def scenario():
        client = AsyncClient()
        await sync_to_async(client.force_login)(moderator)
        response = await client.get("/live/moderation", {"site": "chronicle"})
        chunks = aiter(response.streaming_content)
        await anext(chunks)
        for reader in ("r1", "r2"):
            actor = services.Actor(user=None, reader_id=reader, ip="")
            await sync_to_async(flags.flag)(flagged, actor, "spam")
        return await next_events(chunks, 2)

    first, second = asyncio.run(scenario())
    assert (first.name, orjson.loads(first.data)) == ("queue.flagged", {"id": flagged.pk, "new": True})
    assert (second.name, orjson.loads(second.data)) == ("queue.flagged", {"id": flagged.pk, "new": False})
