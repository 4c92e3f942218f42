"""Small SVG charts rendered on the server; every bar carries its value in `data-value` (and a tooltip)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_BOTTOM, PAD_TOP = 36, 28, 12


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(name: str, title: str, points: Sequence[tuple[str, float]], *, width: int = WIDTH,
              max_labels: int = 12) -> Markup:
    """Vertical bars, one per (label, value); labels thinned out so they never overlap."""
    plot_w, plot_h = width - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    top = max([v or 0 for _, v in points] + [1])
    slot = plot_w / max(1, len(points))
    bar_w = min(slot * 0.7, 72.0)  # a lone bar stays a bar, not a wall
    every = max(1, -(-len(points) // max_labels))
    parts = [svg_open(name, title, len(points), width),
             axis_line(PAD_LEFT, PAD_TOP + plot_h, width - 8), y_label(top, PAD_TOP, width)]
    for i, (label, value) in enumerate(points):
        h = plot_h * (value or 0) / top
        x = PAD_LEFT + i * slot + (slot - bar_w) / 2
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" width="{bar_w:.1f}" '
                     f'height="{h:.1f}" data-label="{escape(label)}" data-value="{_number(value or 0)}">'
                     f'<title>{escape(label)}: {_number(value or 0)}</title></rect>')
        if i % every == 0:
            parts.append(f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{HEIGHT - 10}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    if not any(v for _, v in points):
        parts.append(f'<text class="empty" x="{width / 2}" y="{HEIGHT / 2}" text-anchor="middle">no data yet</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def share_bar(name: str, title: str, done: int, total: int, done_label: str, rest_label: str) -> Markup:
    """One horizontal bar split into done and the rest, with the percentage written next to it."""
    width, height, bar_w = 640, 56, 520
    done_w = bar_w * done / total if total else 0
    percent = f"{100 * done / total:.0f}%" if total else "–"
    return Markup(
        f'<svg class="chart" data-chart="{escape(name)}" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">'
        f'<rect class="bar done" x="0" y="8" width="{done_w:.1f}" height="28" data-value="{done}">'
        f'<title>{escape(done_label)}: {done}</title></rect>'
        f'<rect class="bar rest" x="{done_w:.1f}" y="8" width="{bar_w - done_w:.1f}" height="28" '
        f'data-value="{total - done}"><title>{escape(rest_label)}: {total - done}</title></rect>'
        f'<text class="value" x="{bar_w + 12}" y="28">{percent}</text>'
        f'<text class="tick" x="0" y="52">{done} {escape(done_label)} of {total}</text></svg>')


def comparison_bars(name: str, title: str, rows: Sequence[tuple[str, str, float | None, str]], *,
                    width: int = 1080) -> Markup:
    """Horizontal bars to compare side by side: one row per (measure, group, share 0..1, text); a share of
    None (a group too small to show) draws no bar, only its text."""
    label_w, row_h, bar_max = 360, 30, width - 360 - 220
    top = max([share or 0 for *_, share, _ in rows] + [0.01])
    parts = [f'<svg class="chart" data-chart="{escape(name)}" data-points="{len(rows)}" role="img" '
             f'aria-label="{escape(title)}" viewBox="0 0 {width} {row_h * len(rows) + 8}" '
             f'preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>']
    for i, (measure, group, share, text) in enumerate(rows):
        y = 4 + i * row_h
        if i == 0 or rows[i - 1][0] != measure:
            parts.append(f'<text class="measure" x="0" y="{y + 19}">{escape(measure)}</text>')
        parts.append(f'<text class="tick group" x="{label_w - 10}" y="{y + 19}" text-anchor="end">{escape(group)}</text>')
        if share is not None:
            w = bar_max * share / top
            parts.append(f'<rect class="bar series-{i % 2}" x="{label_w}" y="{y + 5}" width="{w:.1f}" height="20" '
                         f'data-label="{escape(measure)} · {escape(group)}" data-value="{share:g}">'
                         f'<title>{escape(group)}: {escape(text)}</title></rect>')
        x = label_w + (bar_max * (share or 0) / top) + 8
        parts.append(f'<text class="value-note" x="{x:.1f}" y="{y + 19}">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def svg_open(name: str, title: str, count: int, width: int) -> str:
    return (f'<svg class="chart" data-chart="{escape(name)}" data-points="{count}" role="img" '
            f'aria-label="{escape(title)}" viewBox="0 0 {width} {HEIGHT}" preserveAspectRatio="xMinYMin meet">'
            f'<title>{escape(title)}</title>')


def axis_line(x0: float, y: float, x1: float) -> str:
    return f'<line class="axis" x1="{x0}" y1="{y}" x2="{x1}" y2="{y}"/>'


def y_label(top: float, y: float, width: int) -> str:
    return (f'<text class="tick" x="{PAD_LEFT - 6}" y="{y + 4}" text-anchor="end">{_number(top)}</text>'
            f'<line class="grid" x1="{PAD_LEFT}" y1="{y}" x2="{width - 8}" y2="{y}"/>')
