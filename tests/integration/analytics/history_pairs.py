"""A pair's months in the history: its sessions about every two weeks, the ratings, the mentee's goal.

A pair's `kind` is one of "meeting", "quiet" (stops meeting weeks before now, its goal barely moves),
"low_rated" (the mentee rates the latest session 2) and "recovered" (rated 2 once, 4 since).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.events import Event
from shared.events import catalog as ev
from tests.integration.analytics import history_events as emit

CALM_DAYS = 40  # no cancellation or skipped fortnight this close to now: a meeting pair never looks quiet


@dataclass
class PairMonths:
    events: list[Event] = field(default_factory=list)
    completed: list[datetime] = field(default_factory=list)  # when each session held ended
    goal_completed: bool = False


def pair_months(rng: random.Random, pair: emit.Pair, kind: str, now: datetime, goal_set: datetime,
                started: datetime, ends: datetime | None) -> PairMonths:
    """From a few days after the start until the end, or now, or (quiet pairs) 40–60 days ago."""
    until = ends or now - timedelta(days=rng.randint(CALM_DAYS, 60) if kind == "quiet" else 1)
    moments = meetings(rng, started + timedelta(days=rng.randint(3, 10)), until, now)
    held = [m for m in moments if m > now - timedelta(days=CALM_DAYS) or rng.random() > 0.07]
    goal, months = Goal(pair, goal_set, small_steps=kind == "quiet"), PairMonths()
    for n, moment in enumerate(moments):
        session_id = f"S{n}-{pair.mentorship_id}"
        months.events.append(pair.session(ev.SESSION_SCHEDULED, session_id, moment))
        if moment not in held:
            months.events.append(pair.session(ev.SESSION_CANCELLED, session_id, moment))
            continue
        done = moment + timedelta(minutes=45)
        months.events.append(pair.session(ev.SESSION_COMPLETED, session_id, moment, done))
        months.completed.append(done)
        stars = ratings(rng, kind, held.index(moment), len(held))
        months.events += [pair.rating(f"F-{role}-{session_id}", session_id, role, n, done + timedelta(hours=2))
                          for role, n in stars.items()]
        goal.moves(rng, done)
    if kind != "quiet" and ends is None:  # the next meeting is already in the calendar
        months.events.append(pair.session(ev.SESSION_SCHEDULED, f"S-next-{pair.mentorship_id}",
                                          now + timedelta(days=4)))
    months.events += goal.events
    months.goal_completed = goal.completed
    return months


def meetings(rng: random.Random, first: datetime, until: datetime, now: datetime) -> list[datetime]:
    """Every 11–20 days, now and then a fortnight skipped (never within CALM_DAYS + 20 days of now)."""
    found, moment = [], first
    while moment < until:
        found.append(moment)
        calm = moment > now - timedelta(days=CALM_DAYS + 20)
        moment += timedelta(days=14 + rng.randint(-3, 6) + (0 if calm or rng.random() > 0.12 else 14))
    return found


def ratings(rng: random.Random, kind: str, nth: int, held: int) -> dict[str, int]:
    """About half the sessions rated 3–5 by each member; the low ratings where the pair's kind says so."""
    given = {role: rng.choice([3, 4, 4, 5, 5]) for role in ("mentee", "mentor") if rng.random() < 0.5}
    if kind == "low_rated" and nth == held - 1:
        given["mentee"] = 2
    elif kind == "recovered" and nth >= 2:
        given["mentee"] = 2 if nth == 2 else 4
    return given


class Goal:
    """The mentee's goal: set the day after enrolling, moved by each session held, completed at 100."""

    def __init__(self, pair: emit.Pair, set_at: datetime, small_steps: bool):
        self.goal_id, self.employee_id = f"G-{pair.mentorship_id}", pair.mentee_id
        self.progress, self.small_steps = 0, small_steps
        self.events = [emit.goal(self.goal_id, self.employee_id, 1, 0, set_at)]

    @property
    def completed(self) -> bool:
        return self.progress >= 100

    def moves(self, rng: random.Random, at: datetime) -> None:
        if self.completed:
            return
        self.progress = min(100, self.progress + (rng.randint(3, 6) if self.small_steps else rng.randint(8, 16)))
        self.events.append(emit.goal(self.goal_id, self.employee_id, len(self.events) + 1, self.progress, at))
