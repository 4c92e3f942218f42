"""Six months of one program as the migration backfill publishes it (history_events.py): every event's
data carries its past moment and `backfilled: true`, while each CloudEvent's `time` is now.

Three departments (Eng, Fin, Ops), each with 4 mentors, 8 mentees and 7 colleagues who do not take part.
The program started 26 weeks ago with a 14-day check-in. Mentees enrolled in waves (4 at the start, 2
after 6 weeks, 2 after 14), each wave matched 5 days later and accepted 6–120 h after that; Fin's e1
was declined by their first mentor and rematched with the second wave. Pairs meet about fortnightly
(some sessions cancelled, none in the last 40 days), rate about half the sessions 3–5, and each
session moves the mentee's goal, which completes at 100. By design, and so expected at risk:
* each department's e3 pair went quiet 40–60 days ago: no session since, its goal stalled;
* Eng's e1 pair still meets, but the mentee rated the latest session 2.
Not at risk: Fin's e2 rated 2 once months ago and 4 since; Ops' e1 pair ended in week 12; Fin's e0
left the company in week 18 (withdrawn, pair ended, as matching does for a leaver).
HR: 6 of the 36 participants and 2 of the 21 colleagues were promoted; 1 participant and 3 colleagues left.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.events import Event
from shared.events import catalog as ev
from shared.timeutil import utcnow
from tests.integration.analytics import history_events as emit
from tests.integration.analytics.history_pairs import pair_months

WEEKS, CADENCE = 26, 14
WAVES = (0, 0, 0, 0, 6, 6, 14, 14)  # the week each department's mentee e<i> enrolls in
KINDS = {"Eng-e3": "quiet", "Fin-e3": "quiet", "Ops-e3": "quiet", "Eng-e1": "low_rated", "Fin-e2": "recovered"}
AT_RISK = {"Eng-e3": {"no_session_for_days", "stalled_goals"}, "Fin-e3": {"no_session_for_days", "stalled_goals"},
           "Ops-e3": {"no_session_for_days", "stalled_goals"}, "Eng-e1": {"low_rating"}}
DECLINED, LEAVER, ENDED = "Fin-e1", "Fin-e0", "Ops-e1"
PROMOTED = {"Eng-m0", "Eng-e0", "Eng-e4", "Fin-e2", "Ops-m1", "Ops-e5", "Eng-c0", "Ops-c3"}
LEFT = {"Eng-c1", "Fin-c4", "Ops-c6"}  # and the participant LEAVER


@dataclass
class History:
    uid: str
    now: datetime
    starts: datetime
    events: list[Event] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # short name -> display name
    completed_sessions: list[datetime] = field(default_factory=list)
    hours_to_match: dict[str, float] = field(default_factory=dict)  # mentees still enrolled
    goals_completed: int = 0  # goals of mentees still enrolled
    at_risk: dict[str, set[str]] = field(default_factory=dict)  # mentorship id -> its signals, by design

    @property
    def program_id(self) -> str:
        return f"hist-{self.uid}"

    def employee(self, short: str) -> str:
        return f"h-{short}-{self.uid}"

    def at(self, week: float, hours: float = 0) -> datetime:
        return self.starts + timedelta(weeks=week, hours=hours)

    def median_hours_to_match(self) -> float:
        return round(statistics.median(self.hours_to_match.values()), 2)

    def group_sizes(self) -> tuple[int, int]:
        """(participants: everyone who ever enrolled, colleagues: everyone else with a profile)."""
        enrolled = {e.data["employee_id"] for e in self.events if e.type == ev.ENROLLMENT_CREATED.name}
        everyone = {e.data["employee_id"] for e in self.events if e.type == ev.PROFILE_CREATED.name}
        return len(enrolled), len(everyone - enrolled)


def build(uid: str, now: datetime | None = None, seed: int = 15) -> History:
    """The whole history, deterministic for a seed; `now` defaults to the real clock."""
    now = (now or utcnow()).replace(minute=0, second=0, microsecond=0)
    history = History(uid, now, (now - timedelta(weeks=WEEKS)).replace(hour=9))
    starts_on = history.starts.date()
    history.events.append(emit.program(history.program_id, f"Six months {uid}", starts_on.isoformat(),
                                       (starts_on + timedelta(weeks=52)).isoformat(), CADENCE))
    rng = random.Random(seed)
    for dept in ("Eng", "Fin", "Ops"):
        mentors = [f"{dept}-m{i}" for i in range(4)]
        for i, short in enumerate(mentors):
            person(history, rng, short, dept, 10, "mentor", 3 if i < 2 else 2)
            enroll(history, short, "mentor", history.at(0, rng.uniform(0, 24)))
        for i in range(7):
            person(history, rng, f"{dept}-c{i}", dept, 5, "mentee")
        for i in range(8):
            person(history, rng, f"{dept}-e{i}", dept, 4, "mentee")
            mentee(history, rng, f"{dept}-e{i}", WAVES[i], mentors[i % 4], mentors[(i + 1) % 4])
    return history


def person(history: History, rng: random.Random, short: str, dept: str, grade: int, role: str,
           capacity: int = 0) -> None:
    """A profile recorded 60 days before the start, then the plan's HR changes for them."""
    history.names[short] = f"{short.replace('-', ' ')} {history.uid}"
    found = emit.Profile(history.employee(short), history.names[short], f"{dept}-{history.uid}", grade, role,
                         capacity)
    history.events.append(emit.profile(found, history.starts - timedelta(days=60)))
    if short in PROMOTED:
        found = found.promoted()
        history.events.append(emit.profile(found, history.at(rng.uniform(3, 16))))
    if short in LEFT:
        history.events.append(emit.profile(found.leaving(), history.at(rng.uniform(17, 24))))


def enroll(history: History, short: str, role: str, at: datetime) -> None:
    history.events.append(emit.enrollment(ev.ENROLLMENT_CREATED, history.program_id, history.employee(short),
                                          role, at))


def mentee(history: History, rng: random.Random, short: str, week: int, mentor: str, first_choice: str) -> None:
    """Enrolled in a wave, matched 5 days later (after a decline, with the next wave), then the pair's months."""
    enrolled = history.at(week, rng.uniform(0, 48))
    enroll(history, short, "mentee", enrolled)
    proposed = history.at(week + 5 / 7, rng.uniform(0, 4))
    if short == DECLINED:
        first = pair(history, f"{short}-first", first_choice, short, proposed)
        history.events += [first.event(ev.MENTORSHIP_PROPOSED, "proposed"),
                           first.event(ev.MENTORSHIP_DECLINED, "declined")]
        proposed = history.at(WAVES[4] + 5 / 7, rng.uniform(0, 4))
    started = proposed + timedelta(hours=rng.uniform(6, 120))
    matched = pair(history, short, mentor, short, proposed)
    history.events += [matched.event(ev.MENTORSHIP_PROPOSED, "proposed"),
                       matched.event(ev.MENTORSHIP_STARTED, "active", started)]
    ends = history.at(12) if short == ENDED else history.at(18) if short == LEAVER else None
    months = pair_months(rng, matched, KINDS.get(short, "meeting"), history.now, enrolled + timedelta(days=1),
                         started, ends)
    history.events += months.events
    history.completed_sessions += months.completed
    if ends is not None:
        history.events.append(matched.event(ev.MENTORSHIP_ENDED, "ended", started, ends))
    if short == LEAVER:
        leaves(history, short, ends)
        return
    history.hours_to_match[short] = (started - enrolled) / timedelta(hours=1)
    history.goals_completed += months.goal_completed
    if short in AT_RISK:
        history.at_risk[matched.mentorship_id] = AT_RISK[short]


def pair(history: History, name: str, mentor: str, mentee_short: str, proposed: datetime) -> emit.Pair:
    return emit.Pair(f"X-{name}-{history.uid}", history.program_id, history.employee(mentor),
                     history.employee(mentee_short), proposed)


def leaves(history: History, short: str, at: datetime) -> None:
    """A participant who leaves: HR terminates them, matching withdraws their enrollment at that moment."""
    dept = short.split("-")[0]
    found = emit.Profile(history.employee(short), history.names[short], f"{dept}-{history.uid}", 4, "mentee", 0)
    history.events += [emit.profile(found.leaving(), at),
                       emit.enrollment(ev.ENROLLMENT_WITHDRAWN, history.program_id, history.employee(short),
                                       "mentee", at)]
