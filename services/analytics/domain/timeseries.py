"""Program figures over time, in UTC weeks (starting Monday) or calendar months, gaps filled."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from services.analytics.domain.kpis import goal_completed_in, program_goals
from services.analytics.domain.state import ProgramFacts
from services.analytics.domain.times import moment
from services.analytics.domain.window import program_window

METRICS = ("sessions_completed", "mentorships_started", "goals_completed", "feedback_count",
           "average_feedback_rating")
INTERVALS = ("week", "month")
MAX_POINTS = 260  # five years of weeks; older periods are left out


def bucket(at: datetime, interval: str) -> date:
    """The first day of the week (Monday) or month that `at` falls in."""
    d = at.date()
    return d - timedelta(days=d.weekday()) if interval == "week" else d.replace(day=1)


def next_bucket(start: date, interval: str) -> date:
    if interval == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def periods(first: date, last: date, interval: str) -> list[date]:
    found, current = [], first
    while current <= last:
        found.append(current)
        current = next_bucket(current, interval)
    return found[-MAX_POINTS:]


def observations(facts: ProgramFacts, metric: str, as_of: datetime) -> list[tuple[datetime, float]]:
    """(time, value) pairs behind a metric: one per session, start, goal or feedback."""
    if metric == "sessions_completed":
        return [(moment(s["completed_at"]), 1) for s in facts.sessions.values()
                if s["status"] == "completed" and s.get("completed_at")]
    if metric == "mentorships_started":
        return [(moment(m["started_at"]), 1) for m in facts.mentorships.values()
                if m["status"] in ("active", "ended") and m.get("started_at")]
    if metric == "goals_completed":
        goals = program_goals(facts, facts.enrolled("mentee"), as_of)
        return [(moment(g.closed_at), 1) for g in goals if goal_completed_in(facts, g, as_of)]
    return [(moment(f["at"]), f["rating"]) for f in facts.feedback]


def series(facts: ProgramFacts, metric: str, interval: str, as_of: datetime) -> list[dict]:
    """Points `{"period_start", "value"}` from the program's start (or first data) to its end (or now)."""
    seen = observations(facts, metric, as_of)
    window = program_window(facts.program, as_of)
    edges = [at for at, _ in seen] + [m for m in (window.start, window.end) if m is not None]
    if not seen and window.start is None:
        return []
    first, last = bucket(min(edges), interval), bucket(max(edges), interval)
    grouped: dict[date, list[float]] = {}
    for at, value in seen:
        grouped.setdefault(bucket(at, interval), []).append(value)
    return [{"period_start": p.isoformat(), "value": _value(metric, grouped.get(p, []))}
            for p in periods(first, last, interval)]


def _value(metric: str, values: Iterable[float]) -> float | int | None:
    values = list(values)
    if metric == "average_feedback_rating":
        return round(statistics.fmean(values), 2) if values else None
    return int(sum(values)) if metric != "feedback_count" else len(values)
