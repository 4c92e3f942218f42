"""Horizontal bars that put groups side by side, measure by measure (the career outcomes)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from services.analytics.entrypoints.dashboard.charts import svg_open

Row = tuple[str, str, float | None, str]  # (measure, group, share 0..1 or None, text written after the bar)
LABEL_W, ROW_H, TEXT_W = 360, 30, 220


def comparison_bars(name: str, title: str, rows: Sequence[Row], *, width: int = 1080) -> Markup:
    """One bar per row, all on one scale; a share of None (a group too small to show) draws its text only."""
    top = max([share or 0 for _, _, share, _ in rows] + [0.01])
    scale = (width - LABEL_W - TEXT_W) / top
    parts = [svg_open(name, title, len(rows), width, ROW_H * len(rows) + 8)]
    for i, row in enumerate(rows):
        parts.append(_row(row, i, scale, starts_measure=i == 0 or rows[i - 1][0] != row[0]))
    parts.append("</svg>")
    return Markup("".join(parts))


def _row(row: Row, i: int, scale: float, *, starts_measure: bool) -> str:
    measure, group, share, text = row
    y = 4 + i * ROW_H
    found = [f'<text class="measure" x="0" y="{y + 19}">{escape(measure)}</text>' if starts_measure else "",
             f'<text class="tick group" x="{LABEL_W - 10}" y="{y + 19}" text-anchor="end">{escape(group)}</text>']
    if share is not None:  # the series alternate: participants, then the comparison group
        found.append(f'<rect class="bar series-{i % 2}" x="{LABEL_W}" y="{y + 5}" width="{share * scale:.1f}" '
                     f'height="20" data-label="{escape(measure)} · {escape(group)}" data-value="{share:g}">'
                     f'<title>{escape(group)}: {escape(text)}</title></rect>')
    found.append(f'<text class="value-note" x="{LABEL_W + (share or 0) * scale + 8:.1f}" y="{y + 19}">'
                 f'{escape(text)}</text>')
    return "".join(found)
