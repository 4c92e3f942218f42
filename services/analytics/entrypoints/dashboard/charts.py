"""Small SVG charts rendered on the server; every bar carries its value in `data-value` (and a tooltip)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
PAD_LEFT, PAD_BOTTOM, PAD_TOP = 36, 28, 12


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(name: str, title: str, points: Sequence[tuple[str, float]], *, width: int = WIDTH,
              max_labels: int = 12, last_so_far: bool = False) -> Markup:
    """Vertical bars, one per (label, value); labels thinned out so they never overlap. `last_so_far`: the
    last period is still running, so its bar is drawn lighter (a half week is not a drop)."""
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
        so_far = last_so_far and i == len(points) - 1
        parts.append(f'<rect class="bar{" so-far" if so_far else ""}" x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" '
                     f'width="{bar_w:.1f}" height="{h:.1f}" data-label="{escape(label)}" '
                     f'data-value="{_number(value or 0)}"><title>{escape(label)}: {_number(value or 0)}'
                     f'{" so far" if so_far else ""}</title></rect>')
        if i % every == 0:
            parts.append(x_tick(x + bar_w / 2, label))
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


def svg_open(name: str, title: str, count: int, width: int, height: int = HEIGHT) -> str:
    return (f'<svg class="chart" data-chart="{escape(name)}" data-points="{count}" role="img" '
            f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet">'
            f'<title>{escape(title)}</title>')


def x_tick(x: float, label: str) -> str:
    """A label under the x axis, centred on `x`."""
    return f'<text class="tick" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">{escape(label)}</text>'


def axis_line(x0: float, y: float, x1: float) -> str:
    return f'<line class="axis" x1="{x0}" y1="{y}" x2="{x1}" y2="{y}"/>'


def y_label(top: float, y: float, width: int) -> str:
    return (f'<text class="tick" x="{PAD_LEFT - 6}" y="{y + 4}" text-anchor="end">{_number(top)}</text>'
            f'<line class="grid" x1="{PAD_LEFT}" y1="{y}" x2="{width - 8}" y2="{y}"/>')
