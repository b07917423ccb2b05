"""Small server-rendered SVG charts for the moderation dashboard (no chart library).

Every piece of text goes through `format_html`, which escapes it; numbers are formatted by us.
The charts are plain `<svg>` elements with a `<title>` and a `<desc>` for screen readers, and
every bar carries its own `<title>` so hovering shows the exact figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = {"approved": "#2e7d32", "pending": "#f9a825", "rejected": "#c62828", "bar": "#1565c0"}


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    color: str


def _frame(width: int, height: int, title: str, description: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {} {}" '
        'width="{}" height="{}"><title>{}</title><desc>{}</desc>{}</svg>',
        width, height, width, height, title, description, body,
    )


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def stacked_bars(title: str, labels: Sequence[str], series: Sequence[Series], *,
                 width: int = 720, height: int = 220, label_every: int = 6) -> SafeString:
    """Vertical bars, one per label, stacked by series (e.g. comments per hour by status)."""
    left, bottom, top = 36, 24, 10
    plot_h = height - bottom - top
    count = max(len(labels), 1)
    slot = (width - left - 4) / count
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    parts = []
    for i, label in enumerate(labels):
        y = top + plot_h
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
                _num(left + i * slot + 1), _num(y), _num(max(slot - 2, 1)), _num(h), s.color,
                label, _num(value), s.name,
            ))
        if i % label_every == 0:
            parts.append(format_html(
                '<text x="{}" y="{}" font-size="10" fill="#555">{}</text>',
                _num(left + i * slot), height - 8, label,
            ))
    parts.append(_axis(left, top, plot_h, width, peak))
    parts.append(_legend(series, width))
    description = ", ".join(f"{s.name} {int(sum(s.values))}" for s in series)
    totals = _("Totals: %(figures)s") % {"figures": description}
    return _frame(width, height, title, totals, mark_safe("".join(parts)))


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "%",
               maximum: float = 100, width: int = 720, height: int = 200,
               label_every: int = 6) -> SafeString:
    """One polyline per series over the labels (e.g. held and rejected shares per hour)."""
    left, bottom, top = 36, 24, 10
    plot_h = height - bottom - top
    step = (width - left - 8) / max(len(labels) - 1, 1)
    parts = []
    for s in series:
        points = " ".join(
            f"{_num(left + i * step)},{_num(top + plot_h - plot_h * min(v, maximum) / maximum)}"
            for i, v in enumerate(s.values)
        )
        parts.append(format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"><title>{}</title></polyline>',
            points, s.color, s.name,
        ))
    for i, label in enumerate(labels):
        if i % label_every == 0:
            parts.append(format_html('<text x="{}" y="{}" font-size="10" fill="#555">{}</text>',
                                     _num(left + i * step), height - 8, label))
    parts.append(_axis(left, top, plot_h, width, maximum, unit))
    parts.append(_legend(series, width))
    latest = _("%(series)s: latest %(value)s")
    description = "; ".join(
        latest % {"series": s.name, "value": f"{_num(s.values[-1]) if s.values else 0}{unit}"} for s in series
    )
    return _frame(width, height, title, description, mark_safe("".join(parts)))


def horizontal_bars(title: str, rows: Sequence[tuple[str, float, str]], *, width: int = 720,
                    color: str = PALETTE["bar"]) -> SafeString:
    """One labelled bar per row (label, value, link); rows come sorted by the caller."""
    row_h, label_w = 22, 300
    height = max(len(rows), 1) * row_h + 8
    peak = max((value for _, value, _ in rows), default=0) or 1
    parts = []
    for i, (label, value, href) in enumerate(rows):
        y = 4 + i * row_h
        bar_w = (width - label_w - 50) * value / peak
        short = label if len(label) <= 48 else label[:47] + "…"
        text = format_html('<text x="0" y="{}" font-size="12">{}</text>', y + 14, short)
        if href:
            text = format_html('<a href="{}">{}</a>', href, text)
        parts.append(text)
        parts.append(format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
            '<text x="{}" y="{}" font-size="11">{}</text>',
            label_w, y + 3, _num(max(bar_w, 1)), row_h - 8, color, label, _num(value),
            _num(label_w + bar_w + 4), y + 14, _num(value),
        ))
    if not rows:
        nothing = _("Nothing yet.")
        parts.append(format_html('<text x="0" y="18" font-size="12" fill="#555">{}</text>', nothing))
    return _frame(width, height, title, _("%(count)d rows") % {"count": len(rows)}, mark_safe("".join(parts)))


def histogram(title: str, bins: Sequence[tuple[str, float]], *, width: int = 340, height: int = 140,
              color: str = PALETTE["bar"]) -> SafeString:
    """Bars for labelled bins (queue age buckets, score deciles)."""
    left, bottom, top = 28, 22, 8
    plot_h = height - bottom - top
    slot = (width - left - 4) / max(len(bins), 1)
    peak = max((v for _, v in bins), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(bins):
        h = plot_h * value / peak
        parts.append(format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
            '<text x="{}" y="{}" font-size="9" fill="#555">{}</text>',
            _num(left + i * slot + 1), _num(top + plot_h - h), _num(max(slot - 2, 1)), _num(h), color,
            label, _num(value), _num(left + i * slot + 1), height - 8, label,
        ))
    parts.append(_axis(left, top, plot_h, width, peak))
    description = ", ".join(f"{label}: {_num(value)}" for label, value in bins)
    return _frame(width, height, title, description, mark_safe("".join(parts)))


def _axis(left: int, top: int, plot_h: float, width: int, peak: float, unit: str = "") -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>'
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999"/>'
        '<text x="0" y="{}" font-size="10" fill="#555">{}{}</text>'
        '<text x="0" y="{}" font-size="10" fill="#555">0</text>',
        left, top, left, _num(top + plot_h), left, _num(top + plot_h), width, _num(top + plot_h),
        top + 8, _num(peak), unit, _num(top + plot_h),
    )


def _legend(series: Sequence[Series], width: int) -> SafeString:
    item = '<rect x="{}" y="2" width="10" height="10" fill="{}"/><text x="{}" y="11" font-size="11">{}</text>'
    return format_html_join(
        "", item,
        ((width - 110 * (len(series) - i), s.color, width - 110 * (len(series) - i) + 14, s.name)
         for i, s in enumerate(series)),
    )
