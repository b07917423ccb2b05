"""Highlighting, e-mail and network hints, and SVG escaping, without the web layer."""

from __future__ import annotations

from agora.identity import hash_network, network_of
from agora.moderation import evasion, highlight, svg


def test_segments_merge_overlaps_and_ignore_bad_spans():
    body = "abc def ghi"
    reasons = [{"rule": "one", "spans": [[0, 3, "abc"], [2, 6, "c de"]]},
               {"rule": "two", "spans": [[8, 99, "ghi"], [5, 2, "x"], ["a", "b"], [20, 30, ""]]},
               {"phase": "model", "spans": None}]
    pieces = [(s.text, s.marked, s.rules) for s in highlight.segments(body, reasons)]
    assert pieces == [("abc de", True, "one"), ("f ", False, ""), ("ghi", True, "two")]
    assert [(s.text, s.marked) for s in highlight.segments("plain", [])] == [("plain", False)]
    assert [s.text for s in highlight.segments("", [{"spans": [[0, 1, "x"]]}])] == [""]


def test_canonical_email_and_disposable_domains():
    assert evasion.canonical_email("Jane.Doe+news@GoogleMail.com") == "janedoe@gmail.com"
    assert evasion.canonical_email("jane.doe+x@example.org") == "jane.doe@example.org"
    assert evasion.canonical_email("not-an-address") == "not-an-address"
    hints = evasion.email_hints("a+b@mail.yopmail.com")
    assert hints.is_alias and hints.is_disposable
    assert not evasion.email_hints("someone@example.org").is_disposable
    assert evasion.email_hints("") is None


def test_network_hash_groups_a_24_or_a_48():
    same = hash_network("203.0.113.7"), hash_network("203.0.113.200")
    assert same[0] == same[1] != hash_network("203.0.114.7")
    assert hash_network("2001:db8:1:2::1") == hash_network("2001:db8:1:ffff::9")
    assert hash_network("2001:db8:1::1") != hash_network("2001:db8:2::1")
    assert hash_network("bogus") == ""


def test_network_hash_is_the_network_rate_limits_count():
    # An IPv4-mapped IPv6 address is its IPv4 address, not one shared ::/48 for all of them.
    assert hash_network("::ffff:1.2.3.4") == hash_network("1.2.3.200") != ""
    assert hash_network("::ffff:1.2.3.4") != hash_network("::ffff:9.9.9.9")
    # Loopback is a proxy speaking for everyone: no network, so no "same network" for all.
    assert hash_network("127.0.0.1") == hash_network("127.0.0.77") == hash_network("::1") == ""
    for address in ("203.0.113.7", "::ffff:198.51.100.4", "2001:db8:1:2::1", "127.0.0.1", "bogus"):
        assert bool(hash_network(address)) == bool(network_of(address))


def test_svg_escapes_every_label():
    chart = svg.horizontal_bars("Top <b>", [("</text><script>x</script>", 3, "/a?b=1&c=2")])
    assert "<script>" not in chart and "&lt;/text&gt;&lt;script&gt;" in chart
    assert 'href="/a?b=1&amp;c=2"' in chart and "<title>Top &lt;b&gt;</title>" in chart
    bars = svg.stacked_bars("T", ["<h>"], [svg.Series("a&b", [2], "#000")])
    assert "&lt;h&gt;: 2 a&amp;b" in bars
