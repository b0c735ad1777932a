"""Charts as inline SVG, drawn here in Python: no script, no third-party code, no style
attributes (the page's Content-Security-Policy allows neither). Colours and sizes are SVG
presentation attributes and classes from /static/dashboard.css.

Every chart is an <svg role="img"> named by its own <title> and described by its <desc> (which
carries the figures in words), every bar has a <title> with its number, and the page puts the same numbers
in a table beside each chart.
"""

from __future__ import annotations

import math
from html import escape

WIDTH = 720
BAR_FILL = "#1d4f91"
AXIS_FILL = "#1b1f24"
GRID_STROKE = "#c9ced6"


def nice_max(value: int) -> int:
    """The top of the axis: the smallest of 1, 2, 5 × 10^k at or above the largest value."""
    if value <= 0:
        return 1
    magnitude = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def _f(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, title: str, desc: str, height: float, kind: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--{escape(kind)}" role="img" '
            f'viewBox="0 0 {WIDTH} {_f(height)}" width="{WIDTH}" height="{_f(height)}" '
            f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc">'
            f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>')


def _empty(chart_id: str, title: str, desc: str, kind: str) -> str:
    return (_open(chart_id, title, desc, 60, kind)
            + f'<text class="chart__empty" x="{WIDTH / 2}" y="34" text-anchor="middle" fill="{AXIS_FILL}">'
            "Nothing to show for this period</text></svg>")


def columns(chart_id: str, title: str, desc: str, bars: list[tuple[str, int]], unit: str,
            ticks: list[tuple[int, str]] | None = None, tooltips: list[str] | None = None) -> str:
    """Vertical bars, one per (label, value), left to right. ``ticks`` are (index, label) pairs
    written under the axis (every bar's label when None); ``tooltips`` the bars' own titles."""
    if not bars or not any(value for _, value in bars):
        return _empty(chart_id, title, desc, "columns")
    height, left, right, top, bottom = 260, 52, 12, 14, 34
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    top_value = nice_max(max(value for _, value in bars))
    slot = plot_w / len(bars)
    gap = min(slot * 0.2, 6) if slot >= 3 else 0
    parts = [_open(chart_id, title, desc, height, "columns")]
    parts.append('<g class="chart__grid" aria-hidden="true">')
    for share in (0, 0.5, 1):
        y = top + plot_h * (1 - share)
        value = top_value * share
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{_f(y)}" y2="{_f(y)}" stroke="{GRID_STROKE}" '
                     'stroke-width="1"/>'
                     f'<text class="chart__axis" x="{left - 6}" y="{_f(y + 4)}" text-anchor="end" '
                     f'fill="{AXIS_FILL}">{_f(value)}</text>')
    parts.append("</g>")
    parts.append('<g class="chart__bars">')
    for i, (label, value) in enumerate(bars):
        if value <= 0:
            continue
        bar_h = max(1.0, plot_h * value / top_value)
        tip = tooltips[i] if tooltips else f"{label}: {value} {unit}"
        parts.append(f'<rect class="bar" x="{_f(left + i * slot + gap / 2)}" y="{_f(top + plot_h - bar_h)}" '
                     f'width="{_f(max(slot - gap, 0.5))}" height="{_f(bar_h)}" fill="{BAR_FILL}">'
                     f"<title>{escape(tip)}</title></rect>")
    parts.append("</g>")
    parts.append('<g class="chart__labels" aria-hidden="true">')
    for i, label in ticks if ticks is not None else list(enumerate(label for label, _ in bars)):
        x = left + (i + 0.5) * slot
        parts.append(f'<text class="chart__axis" x="{_f(x)}" y="{height - bottom + 18}" text-anchor="middle" '
                     f'fill="{AXIS_FILL}">{escape(label)}</text>')
    parts.append("</g></svg>")
    return "".join(parts)


def rows(chart_id: str, title: str, desc: str, bars: list[tuple[str, int]], unit: str, limit: int = 20) -> str:
    """Horizontal bars, one per (label, value), top to bottom (the first ``limit``), each with its
    label on the left and its number at its end."""
    bars = [(label, value) for label, value in bars if value > 0][:limit]
    if not bars:
        return _empty(chart_id, title, desc, "rows")
    row_h, label_w, number_w, top = 26, 200, 56, 6
    plot_w = WIDTH - label_w - number_w
    height = top * 2 + row_h * len(bars)
    top_value = max(value for _, value in bars)
    parts = [_open(chart_id, title, desc, height, "rows")]
    for i, (label, value) in enumerate(bars):
        y = top + i * row_h
        bar_w = max(1.0, plot_w * value / top_value)
        shown = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<g class="chart__row"><text class="chart__label" x="{label_w - 8}" y="{y + row_h / 2 + 5}" '
            f'text-anchor="end" fill="{AXIS_FILL}">{escape(shown)}</text>'
            f'<rect class="bar" x="{label_w}" y="{y + 3}" width="{_f(bar_w)}" height="{row_h - 6}" fill="{BAR_FILL}">'
            f"<title>{escape(f'{label}: {value} {unit}')}</title></rect>"
            f'<text class="chart__value" x="{_f(label_w + bar_w + 6)}" y="{y + row_h / 2 + 5}" '
            f'fill="{AXIS_FILL}">{value}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
