"""Timestamps as the projections keep them: normalised RFC 3339 UTC strings, so they sort as text."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from shared.timeutil import parse_rfc3339, to_rfc3339


def normalise(text: str | None, fallback: str | None = None) -> str | None:
    """The same instant in the one canonical format; `fallback` when the text is missing or not a time."""
    for candidate in (text, fallback):
        if candidate:
            try:
                return to_rfc3339(parse_rfc3339(candidate))
            except ValueError:
                continue
    return None


def moment(text: str | None) -> datetime | None:
    return parse_rfc3339(text) if text else None


def day(text: str | None) -> date | None:
    """A program date (`2024-01-31`, or a full timestamp whose date part is taken)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def start_of(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def hours_between(start: str, end: str) -> float:
    return (parse_rfc3339(end) - parse_rfc3339(start)) / timedelta(hours=1)
