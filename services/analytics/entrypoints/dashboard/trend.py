"""A running total over time as an SVG line with a shaded area; each point carries its value in `data-value`."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

from markupsafe import Markup, escape

from services.analytics.entrypoints.dashboard.charts import (
    HEIGHT,
    PAD_BOTTOM,
    PAD_LEFT,
    PAD_TOP,
    axis_line,
    svg_open,
    x_tick,
    y_label,
)


def running_total(points: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
    """(label, value per period) -> (label, total up to and including that period)."""
    return list(zip([label for label, _ in points], accumulate(v or 0 for _, v in points), strict=True))


def line_chart(name: str, title: str, points: Sequence[tuple[str, float]], *, width: int = 640,
               max_labels: int = 8) -> Markup:
    """A line through (label, value) points, the area under it shaded, the last value written at its end."""
    plot_w, plot_h = width - PAD_LEFT - 48, HEIGHT - PAD_BOTTOM - PAD_TOP
    top = max([v for _, v in points] + [1])
    step = plot_w / max(1, len(points) - 1)
    xy = [(PAD_LEFT + i * step, PAD_TOP + plot_h - plot_h * v / top) for i, (_, v) in enumerate(points)]
    every = max(1, -(-len(points) // max_labels))
    parts = [svg_open(name, title, len(points), width), axis_line(PAD_LEFT, PAD_TOP + plot_h, width - 48),
             y_label(top, PAD_TOP, width - 40)]
    if xy:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(f'<polygon class="area" points="{PAD_LEFT},{PAD_TOP + plot_h} {line} '
                     f'{xy[-1][0]:.1f},{PAD_TOP + plot_h}"/><polyline class="line" points="{line}"/>')
    for i, ((label, value), (x, y)) in enumerate(zip(points, xy, strict=True)):
        parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="2.5" data-label="{escape(label)}" '
                     f'data-value="{value:g}"><title>{escape(label)}: {value:g}</title></circle>')
        if i % every == 0:
            parts.append(x_tick(x, label))
    if xy:
        parts.append(f'<text class="value" x="{xy[-1][0] + 6:.1f}" y="{xy[-1][1] + 6:.1f}">{points[-1][1]:g}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
