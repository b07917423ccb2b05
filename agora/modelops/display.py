"""HTML for the site settings: what each toxicity threshold would have held on this site."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from agora.comments.models import Site
from agora.modelops.services import threshold_table


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def threshold_table_html(site: Site) -> SafeString:
    rows = threshold_table(site)
    body = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((f"{r.threshold:.1f}", _percent(r.held_share), _percent(r.precision), _percent(r.recall))
         for r in rows),
    )
    labelled = rows[0].labelled if rows else 0
    return format_html(
        "<table><thead><tr><th>hold at toxicity</th><th>share of comments held</th><th>precision</th>"
        "<th>recall</th></tr></thead><tbody>{}</tbody></table>"
        "<p>From the scores recorded for this site's recent comments; precision and recall against "
        "{} comments its moderators labelled. A newsroom usually holds 5-10 % of a thread.</p>",
        body, labelled,
    )
