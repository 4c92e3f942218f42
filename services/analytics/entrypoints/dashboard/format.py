"""How the dashboard writes numbers, shares and dates."""

from __future__ import annotations

from datetime import date


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def week_label(period_start: str) -> str:
    """`2025-03-03` -> `03 Mar`."""
    return date.fromisoformat(period_start).strftime("%d %b")


def day_of(timestamp: str | None) -> str:
    """An RFC 3339 time as its UTC day, `3 Mar 2025`; `–` when there is none."""
    if not timestamp:
        return "–"
    d = date.fromisoformat(timestamp[:10])
    return f"{d.day} {d.strftime('%b %Y')}"
