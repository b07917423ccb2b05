"""`agora audit`: what Agora's moderation would have done to an existing comment section.

The file is imported into a throwaway SQLite database (the command re-runs itself with
AGORA_DATABASE_URL pointing at a temporary file), every comment passes the pipeline, and the
report shows each thread with the decision, labels and highlighted spans of every comment, then
totals by decision and reason. Three renderings: coloured text, a self-contained HTML page and
JSON lines (one object per comment in thread order with exactly the keys of `JSON_KEYS`).
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.apps import apps

from agora.comments.models import Comment, Site
from agora.importers.loader import ImportOptions, Summary
from agora.importers.models import AuditFinding
from agora.moderation import pipeline

JSON_KEYS = ("article", "author", "depth", "text", "decision", "labels", "reasons")
AUDIT_SITE = "audit"
AUDIT_BASE_URL = "https://audit.invalid"
LABEL_THRESHOLD = 0.5
DECISIONS = ("approved", "pending", "rejected")


@dataclass
class Entry:
    article: str
    author: str
    depth: int
    text: str
    decision: str
    labels: list[str]
    reasons: list[dict]

    def as_json(self) -> dict:
        return {key: getattr(self, key) for key in JSON_KEYS}

    def spans(self) -> list[tuple[int, int]]:
        found = []
        for reason in self.reasons:
            for span in reason.get("spans") or []:
                start, end = int(span[0]), int(span[1])
                if 0 <= start < end <= len(self.text):
                    found.append((start, end))
        return _merge(sorted(found))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_site(settings: dict | None) -> Site:
    """The audit site, with the given settings: Site fields at the top level, moderation settings
    under "moderation"."""
    settings = dict(settings or {})
    moderation = settings.pop("moderation", {})
    site_fields = {f.name for f in Site._meta.concrete_fields} - {"id", "slug", "api_key"}
    unknown = set(settings) - site_fields
    if unknown:
        raise ValueError(f"unknown site settings: {', '.join(sorted(unknown))}")
    site = Site.objects.create(slug=AUDIT_SITE, name="Audit", **settings)
    if moderation:
        model = apps.get_model("moderation", "ModerationSettings")
        row, _ = model.objects.get_or_create(site=site)
        for name, value in moderation.items():
            if name not in {f.name for f in model._meta.concrete_fields}:
                raise ValueError(f"unknown moderation setting: {name}")
            setattr(row, name, value)
        row.save()
    return site


def record_finding(comment: Comment, verdict: pipeline.Verdict) -> None:
    scores = dict(getattr(verdict, "scores", {}) or {})
    for reason in verdict.reasons:
        for label, score in reason.scores.items():
            scores[label] = max(score, scores.get(label, 0.0))
    labels = [label for label, score in sorted(scores.items(), key=lambda item: -item[1])
              if score >= LABEL_THRESHOLD]
    AuditFinding.objects.create(comment=comment, decision=verdict.status, labels=labels,
                                reasons=[reason.as_dict() for reason in verdict.reasons])


def audit_options(progress: bool) -> ImportOptions:
    return ImportOptions(status="site", base_url=AUDIT_BASE_URL, progress=progress,
                         verdict_sink=record_finding, as_history=False)


def entries(site: Site) -> Iterator[Entry]:
    """Every comment in thread order: articles in order of appearance, replies under parents."""
    rows = (Comment.objects.filter(site=site).select_related("article", "audit_finding")
            .order_by("article_id", "path"))
    for comment in rows.iterator(chunk_size=500):
        finding = getattr(comment, "audit_finding", None)
        yield Entry(
            article=comment.article.title or comment.article.url, author=comment.author_name,
            depth=comment.depth, text=comment.body,
            decision=finding.decision if finding else comment.status,
            labels=list(finding.labels) if finding else [], reasons=list(finding.reasons) if finding else [],
        )


@dataclass
class Totals:
    comments: int = 0
    decisions: Counter = None  # type: ignore[assignment]
    reasons: Counter = None  # type: ignore[assignment]

    @classmethod
    def of(cls, site: Site) -> Totals:
        totals = cls(0, Counter(), Counter())
        for decision, reasons in AuditFinding.objects.filter(comment__site=site) \
                .values_list("decision", "reasons").iterator(chunk_size=1000):
            totals.comments += 1
            totals.decisions[decision] += 1
            if decision != "approved":
                for rule in {reason.get("rule", "?") for reason in reasons} or {"(no reason given)"}:
                    totals.reasons[(decision, rule)] += 1
        return totals

    def lines(self) -> list[str]:
        out = [f"{self.comments} comments: " + ", ".join(
            f"{self.decisions[d]} {d} ({_percent(self.decisions[d], self.comments)})" for d in DECISIONS)]
        for (decision, rule), count in self.reasons.most_common():
            out.append(f"  {decision} because of {rule}: {count}")
        return out


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


# -- renderings ------------------------------------------------------------------------------
_COLOURS = {"approved": "\033[32m", "pending": "\033[33m", "rejected": "\033[31m"}
_HIGHLIGHT, _BOLD, _DIM, _RESET = "\033[1;4;31m", "\033[1m", "\033[2m", "\033[0m"


def write_text(site: Site, stream: IO[str], summary: Summary, colour: bool) -> None:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    article = None
    for entry in entries(site):
        if entry.article != article:
            article = entry.article
            stream.write("\n" + paint(_BOLD, f"== {article} ==") + "\n")
        indent = "    " * entry.depth
        label = f" [{', '.join(entry.labels)}]" if entry.labels else ""
        stream.write(f"{indent}{paint(_COLOURS.get(entry.decision, ''), entry.decision.upper())} "
                     f"{paint(_BOLD, entry.author)}{label}\n")
        text = _highlight(entry, lambda part: paint(_HIGHLIGHT, part)) or paint(_DIM, "(empty)")
        for line in text.splitlines() or [""]:
            stream.write(f"{indent}  {line}\n")
        for reason in entry.reasons:
            explained = f"-> {reason.get('rule', '')}: {reason.get('message', '')}"
            stream.write(f"{indent}  {paint(_DIM, explained)}\n")
    stream.write("\n" + paint(_BOLD, "Totals") + "\n")
    for line in Totals.of(site).lines() + summary.lines():
        stream.write(line + "\n")


def _highlight(entry: Entry, mark, escape=lambda s: s) -> str:
    out, position = [], 0
    for start, end in entry.spans():
        out.append(escape(entry.text[position:start]))
        out.append(mark(escape(entry.text[start:end])))
        position = end
    out.append(escape(entry.text[position:]))
    return "".join(out)


def write_json(site: Site, stream: IO[str]) -> None:
    for entry in entries(site):
        stream.write(json.dumps(entry.as_json(), ensure_ascii=False) + "\n")


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{border-bottom:1px solid #ccc;margin-top:2rem}
.c{border-left:4px solid #ccc;padding:.3rem .8rem;margin:.5rem 0}
.approved{border-color:#2a7}.pending{border-color:#d90}.rejected{border-color:#c33;background:#fdf3f3}
.d{font-weight:bold;text-transform:uppercase;font-size:.8rem}
.approved .d{color:#2a7}.pending .d{color:#a70}.rejected .d{color:#c33}
.t{white-space:pre-wrap}mark{background:#fbb;font-weight:bold}.r{color:#666;font-size:.85rem}
.l{background:#eee;border-radius:3px;padding:0 .3rem;margin-left:.3rem;font-size:.8rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .6rem;text-align:left}
"""


def write_html(site: Site, stream: IO[str], summary: Summary, source: str) -> None:
    esc = html.escape
    stream.write(f"<!doctype html><html lang=en><meta charset=utf-8><title>Agora audit: {esc(source)}"
                 f"</title><style>{_CSS}</style><h1>Moderation audit of {esc(source)}</h1>")
    totals = Totals.of(site)
    stream.write("<table><tr><th>Decision</th><th>Comments</th><th>Share</th></tr>")
    for decision in DECISIONS:
        count = totals.decisions[decision]
        share = _percent(count, totals.comments)
        stream.write(f"<tr><td>{decision}</td><td>{count}</td><td>{share}</td></tr>")
    stream.write("</table><ul>")
    for (decision, rule), count in totals.reasons.most_common():
        stream.write(f"<li>{esc(decision)} because of <b>{esc(rule)}</b>: {count}</li>")
    stream.write("</ul><details><summary>Import summary</summary><pre>"
                 + esc("\n".join(summary.lines())) + "</pre></details>")
    article = None
    for entry in entries(site):
        if entry.article != article:
            article = entry.article
            stream.write(f"<h2>{esc(article)}</h2>")
        labels = "".join(f"<span class=l>{esc(label)}</span>" for label in entry.labels)
        reasons = "".join(f"<div class=r>{esc(r.get('rule', ''))}: {esc(r.get('message', ''))}</div>"
                          for r in entry.reasons)
        text = _highlight(entry, lambda part: f"<mark>{part}</mark>", esc)
        margin = min(entry.depth, 8) * 1.5
        stream.write(f'<div class="c {esc(entry.decision)}" style="margin-left:{margin}rem">'
                     f"<span class=d>{esc(entry.decision)}</span> <b>{esc(entry.author)}</b>{labels}"
                     f"<div class=t>{text}</div>{reasons}</div>")
    stream.write("</html>\n")
