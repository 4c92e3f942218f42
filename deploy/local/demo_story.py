"""The demo's story, as plain data: a company, six months of a mentoring program, and what HR saw meanwhile.

Pure and deterministic for a given random seed, so it can be tested without a server: `seed_demo.py`
writes it through the public API (the migration backfill: every call of the past carries its
`occurred_at`), in time order per aggregate.

- **The company**: a CEO, eight departments, each with a head, three managers and their teams.
- **The program** started 26 weeks ago with a fortnightly check-in; people enrolled in three waves
  (at the start, after six weeks, after fourteen), each wave matched a few days later, most mentors
  accepting within a few days.
- **Pairs** meet about every two weeks (some sessions cancelled, some skipped), rate about half of them,
  and move their mentee's goals; a handful went quiet weeks ago (the at-risk pairs); a few ended.
- **HR changes** over the program's months: participants were promoted more and left less than
  colleagues of the same departments who did not take part, so the outcomes report has something to
  show on both sides.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

DEPARTMENTS = {
    "Engineering": ["python", "system design", "kubernetes", "sql", "testing", "security"],
    "Finance": ["financial modelling", "excel", "forecasting", "sql", "negotiation"],
    "Sales": ["negotiation", "public speaking", "account planning", "crm", "storytelling"],
    "Marketing": ["storytelling", "seo", "analytics", "brand strategy", "public speaking"],
    "People": ["coaching", "hiring", "employment law", "facilitation", "analytics"],
    "Operations": ["process design", "logistics", "excel", "project management", "negotiation"],
    "Legal": ["contract law", "employment law", "negotiation", "compliance", "writing"],
    "Product": ["product discovery", "roadmapping", "analytics", "storytelling", "system design"],
}
PLACES = [("Berlin", "Europe/Berlin", ["en", "de"]), ("London", "Europe/London", ["en"]),
          ("New York", "America/New_York", ["en", "es"]), ("San Francisco", "America/Los_Angeles", ["en"]),
          ("Tokyo", "Asia/Tokyo", ["ja", "en"]), ("São Paulo", "America/Sao_Paulo", ["pt", "en"]),
          ("Paris", "Europe/Paris", ["fr", "en"])]
FIRST = ["Ada", "Ben", "Chloé", "Dev", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Lars", "Maya",
         "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Vera", "Wen", "Ximena", "Yusuf", "Zoe"]
LAST = ["Abe", "Berg", "Costa", "Diallo", "Eriksen", "Fischer", "García", "Haddad", "Ito", "Jensen", "Kowalski",
        "Lopez", "Meyer", "Nakamura", "Okafor", "Petrov", "Rossi", "Singh", "Tanaka", "Umar", "Varga", "Weber"]

PROGRAM_WEEKS = 26
WAVES = ((0, 0.6), (6, 0.25), (14, 0.15))  # (weeks after the start, share of the participants)
CADENCE_DAYS = 14
QUIET_EVERY = 14  # one pair in so many went quiet weeks ago
TAKE_PART = 0.55  # of the people who could
PROMOTED = {"participants": 0.20, "others": 0.08}
LEFT = {"participants": 0.04, "others": 0.12}


@dataclass(frozen=True)
class Timeline:
    now: datetime
    hired: datetime  # when the profiles were first recorded
    starts: datetime

    @classmethod
    def ending(cls, now: datetime) -> Timeline:
        now = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        starts = (now - timedelta(weeks=PROGRAM_WEEKS)).replace(hour=9)
        return cls(now=now, hired=starts - timedelta(days=60), starts=starts)

    def wave(self, number: int) -> datetime:
        return self.starts + timedelta(weeks=WAVES[number][0])


@dataclass(frozen=True)
class HrChange:
    employee_id: str
    at: datetime
    kind: str  # promotion | leaver


@dataclass
class Company:
    staff: list[dict]
    participants: dict[str, int] = field(default_factory=dict)  # employee_id -> wave number
    changes: list[HrChange] = field(default_factory=list)

    def person(self, employee_id: str) -> dict:
        return next(p for p in self.staff if p["employee_id"] == employee_id)

    def left_at(self, employee_id: str) -> datetime | None:
        return next((c.at for c in self.changes if c.employee_id == employee_id and c.kind == "leaver"), None)


def company(rng: random.Random, size: int, timeline: Timeline) -> Company:
    staff = [_person(rng, 0, "Operations", 15, None)]
    for department in DEPARTMENTS:
        head = _person(rng, len(staff), department, 13, staff[0]["employee_id"])
        managers = [_person(rng, len(staff) + 1 + i, department, rng.choice([10, 11]), head["employee_id"])
                    for i in range(3)]
        staff += [head, *managers]
        team = (size - 1) // len(DEPARTMENTS) - 4
        staff += [_person(rng, len(staff) + i, department, rng.randint(3, 9), rng.choice(managers)["employee_id"])
                  for i in range(team)]
    found = Company(staff)
    found.participants = _participants(rng, staff)
    found.changes = _hr_changes(rng, staff, found.participants, timeline)
    return found


def _person(rng: random.Random, n: int, department: str, grade: int, manager_id: str | None) -> dict:
    city, timezone, languages = rng.choice(PLACES)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    pool = DEPARTMENTS[department] + rng.sample([s for d in DEPARTMENTS.values() for s in d], 2)
    top = min(5, max(1, grade // 2 - 1))
    skills = [{"name": s, "level": rng.randint(max(1, top - 2), top)} for s in dict.fromkeys(rng.sample(pool, 4))]
    roles = (["mentor"] if grade >= 9 else []) + (["mentee"] if grade <= 7 else [])
    roles = roles or rng.choice([["mentor"], ["mentee"]])
    return {"employee_id": f"demo-{n:04d}", "name": name, "email": f"{name.lower().replace(' ', '.')}.{n}@example.com",
            "title": f"{department} {'lead' if grade >= 10 else 'specialist'}", "department": department,
            "location": city, "timezone": timezone, "languages": languages, "manager_id": manager_id,
            "grade": grade, "years_experience": float(grade + rng.randint(0, 6)), "skills": skills, "roles": roles,
            "mentor_capacity": rng.randint(2, 3) if "mentor" in roles else 0}


def _participants(rng: random.Random, staff: list[dict]) -> dict[str, int]:
    """Who enrolled, and in which wave; the CEO and the department heads coach others, they do not enroll."""
    eligible = [p["employee_id"] for p in staff if p["grade"] < 13 and rng.random() < TAKE_PART]
    rng.shuffle(eligible)
    waves, start = {}, 0
    for number, (_, share) in enumerate(WAVES):
        count = round(share * len(eligible)) if number < len(WAVES) - 1 else len(eligible) - start
        waves |= dict.fromkeys(eligible[start:start + count], number)
        start += count
    return waves


def _hr_changes(rng: random.Random, staff: list[dict], participants: dict[str, int],
                timeline: Timeline) -> list[HrChange]:
    """Promotions and leavers over the program's months, at different rates on either side."""
    changes = []
    for person in staff[1:]:
        side = "participants" if person["employee_id"] in participants else "others"
        # a change comes after enrolling (wave), mostly in the program's second half
        earliest = timeline.wave(participants[person["employee_id"]]) if side == "participants" else timeline.starts
        if person["grade"] < 15 and rng.random() < PROMOTED[side]:
            changes.append(HrChange(person["employee_id"], _moment(rng, timeline, earliest), "promotion"))
        if rng.random() < LEFT[side]:
            changes.append(HrChange(person["employee_id"], _moment(rng, timeline, earliest) + timedelta(days=1),
                                    "leaver"))
    return sorted((c for c in changes if c.at < timeline.now - timedelta(days=1)), key=lambda c: c.at)


def _moment(rng: random.Random, timeline: Timeline, earliest: datetime) -> datetime:
    """A time in the program's months, later ones likelier (the larger of two draws)."""
    offset = max(rng.random(), rng.random()) * (timeline.now - timeline.starts).total_seconds()
    return max(earliest + timedelta(days=10), timeline.starts + timedelta(seconds=offset))


@dataclass(frozen=True)
class SessionPlan:
    scheduled_at: datetime
    duration_minutes: int
    outcome: str  # completed | cancelled | upcoming
    ratings: tuple[tuple[str, int], ...] = ()  # (mentor|mentee, 1..5) given after it
    progress: int = 0  # points the mentee's goal moved in it


@dataclass(frozen=True)
class PairPlan:
    sessions: tuple[SessionPlan, ...]
    ended_at: datetime | None = None
    end_reason: str | None = None
    quiet: bool = False


def goes_quiet(pair_number: int) -> bool:
    """Every 14th pair (from the 4th) went quiet: a handful at any size of the demo, not by chance."""
    return pair_number % QUIET_EVERY == 3


def pair_plan(rng: random.Random, started: datetime, timeline: Timeline, stops: datetime | None,
              quiet: bool | None = None) -> PairPlan:
    """A pair's months: fortnightly sessions with gaps; ~1 in 20 went quiet (or as `quiet` says), ~1 in 16
    ended early. A pair that goes on met within the last check-in interval, so it is not nudged today."""
    drawn, ends = rng.random() < 0.05, rng.random() < 0.06
    quiet = drawn if quiet is None else quiet
    until = min(stops or timeline.now, timeline.now)
    ended_at = None
    if ends and not quiet and (until - started).days > 70:
        ended_at = started + timedelta(days=rng.randint(56, (until - started).days - 7))
        until = ended_at
    if quiet:
        until = min(until, timeline.now - timedelta(days=rng.randint(38, 60)))
    sessions, moment = [], started + timedelta(days=rng.randint(3, 10), hours=rng.choice([0, 2, 5, 7]))
    while moment < until - timedelta(hours=2):
        outcome = "cancelled" if rng.random() < 0.07 else "completed"
        ratings = tuple((who, _rating(rng, quiet)) for who in ("mentee", "mentor") if rng.random() < 0.3)
        sessions.append(SessionPlan(moment, rng.choice([30, 45, 45, 60]), outcome,
                                    ratings if outcome == "completed" else (), rng.randint(4, 14)))
        moment += timedelta(days=CADENCE_DAYS + rng.randint(-3, 4) + (10 if rng.random() < 0.06 else 0))
    if not quiet and ended_at is None and stops is None:
        sessions = _lately(rng, sessions, timeline)
        sessions.append(SessionPlan(timeline.now + timedelta(days=rng.randint(1, 10), hours=2), 45, "upcoming"))
    reason = rng.choice(["completed", "not_a_fit", "role_change"]) if ended_at else None
    return PairPlan(tuple(sessions), ended_at, reason, quiet)


def _lately(rng: random.Random, sessions: list[SessionPlan], timeline: Timeline) -> list[SessionPlan]:
    """The pair's sessions, all moved a few days later when its latest held one would be a check-in late
    today (a cancelled one after it may drop off the end): the same sessions and gaps, so the chart's last
    weeks do not jump, and the pair is not nudged."""
    held = [s.scheduled_at for s in sessions if s.outcome == "completed"]
    if not held or timeline.now - held[-1] < timedelta(days=CADENCE_DAYS - 1):
        return sessions
    lately = timeline.now - timedelta(days=rng.randint(1, CADENCE_DAYS - 4), hours=rng.choice([1, 3, 5]))
    moved = [replace(s, scheduled_at=s.scheduled_at + (lately - held[-1])) for s in sessions]
    return [s for s in moved if s.scheduled_at < timeline.now - timedelta(hours=2)]


def _rating(rng: random.Random, quiet: bool) -> int:
    return rng.choices([5, 4, 3, 2], weights=[1, 2, 4, 3] if quiet else [6, 4, 1, 0])[0]


def goal_progress(plan: PairPlan, head_start: int) -> list[tuple[datetime, int]]:
    """(when, progress) after every second completed session (a mentee updates a goal now and then, and the
    seed makes half the calls), capped at 100; a goal at 100 is completed."""
    progress, steps, held = head_start, [], 0
    for session in plan.sessions:
        if session.outcome != "completed" or progress >= 100:
            continue
        progress, held = min(100, progress + session.progress), held + 1
        if held % 2 == 0 or progress == 100:
            steps.append((session.scheduled_at + timedelta(minutes=session.duration_minutes), progress))
    return steps
