"""Quiet hours: a daily "HH:MM"–"HH:MM" window in the person's own time zone, possibly across midnight."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def parse_clock(text: str) -> time:
    """"HH:MM" (00:00–23:59) as a time; ValueError otherwise."""
    hours, sep, minutes = text.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(f"{text!r} is not HH:MM")
    return time(int(hours), int(minutes))


def zone(name: str | None) -> ZoneInfo:
    """The person's IANA zone; UTC when unknown or not a zone."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def quiet_until(now: datetime, timezone: str | None, quiet: Mapping[str, str] | None) -> datetime | None:
    """When the quiet hours around `now` end (UTC), or None if `now` is not in quiet hours."""
    if not quiet:
        return None
    start, end = parse_clock(quiet["start"]), parse_clock(quiet["end"])
    if start == end:
        return None
    tz = zone(timezone)
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside, end_day = start <= clock < end, local.date()
    else:  # the window crosses midnight: 22:00–07:00
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    release = datetime.combine(end_day, end, tzinfo=tz).astimezone(UTC)
    # a DST jump can put the local end at or before `now` in absolute time: then quiet hours are over
    return release if release > now else None
