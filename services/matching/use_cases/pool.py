"""A program's participants read through the ports as the core's candidates, with mentors' room left."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from services.matching.domain import backfill, people
from services.matching.domain.candidates import Candidate
from services.matching.domain.scoring import ScoringModel
from services.matching.use_cases.ports import UnitOfWork


@dataclass
class ProgramPool:
    """Everything scoring needs about one program, read once."""

    program: Mapping[str, Any]
    mentors: list[Candidate]
    remaining: np.ndarray  # room left per mentor, aligned with `mentors`
    mentees: dict[str, Candidate]
    versions: dict[str, int] = field(default_factory=dict)  # profile version of every participant read
    unavailable: dict[str, str] = field(default_factory=dict)  # enrolled mentee -> why they cannot match

    def model(self) -> ScoringModel:
        return ScoringModel(self.mentors, people.rules(self.program), at=people.scoring_instant(self.program))

    def room_without(self, excluded: set[str]) -> np.ndarray:
        """Remaining capacity with some mentors taken out (e.g. the current or a declining mentor)."""
        room = self.remaining.copy()
        for j, mentor in enumerate(self.mentors):
            if mentor.employee_id in excluded:
                room[j] = 0
        return room


def load_pool(uow: UnitOfWork, program: Mapping[str, Any], mentee_ids: Sequence[str] | None = None,
              as_of: str | None = None) -> ProgramPool:
    """Active enrolled mentors and the given (default: all enrolled) mentees; with `as_of` (a backfilled
    wave), only those who were enrolled by then."""
    def enrolled(role: str) -> list[str]:
        found = uow.enrollments.active(program["program_id"], role)
        return sorted({e["employee_id"] for e in found if backfill.enrolled_by(e, as_of)})

    mentor_ids = enrolled("mentor")
    if mentee_ids is None:
        mentee_ids = enrolled("mentee")
    found = uow.people.get_many([*mentor_ids, *mentee_ids])
    live = {pid: p for pid, p in found.items() if not p.get("erased")}
    chains = uow.people.chains(live)
    goals = uow.people.goals_of(mentee_ids)
    held = uow.mentorships.held_slots(mentor_ids)
    declined = uow.mentorships.declined_mentors(program["program_id"], mentee_ids)
    mentors = [people.candidate(live[m], chains[m]) for m in mentor_ids if m in live]
    remaining = np.array([people.remaining_capacity(live[c.employee_id], len(held.get(c.employee_id, ())))
                          for c in mentors], dtype=np.int64)
    pool = ProgramPool(program, mentors, remaining, {},
                       versions={pid: p["version"] for pid, p in found.items()})
    for mentee_id in mentee_ids:
        person = live.get(mentee_id)
        if person is None:
            pool.unavailable[mentee_id] = "profile_unavailable"
        else:
            pool.mentees[mentee_id] = people.candidate(person, chains[mentee_id], goals.get(mentee_id, ()),
                                                       declined.get(mentee_id, ()))
    return pool


@dataclass
class Pair:
    """One proposed pair as the core sees it, plus the mentor's capacity situation."""

    mentee: Candidate
    mentor: Candidate
    capacity: int
    held_slots: set[str]


def load_pair(uow: UnitOfWork, mentee_id: str, mentor_id: str) -> Pair | None:
    """Both people as candidates; None when either is unknown here or erased."""
    found = {pid: p for pid, p in uow.people.get_many([mentee_id, mentor_id]).items() if not p.get("erased")}
    if mentee_id not in found or mentor_id not in found:
        return None
    chains = uow.people.chains(found)
    goals = uow.people.goals_of([mentee_id]).get(mentee_id, ())
    held = uow.mentorships.held_slots([mentor_id]).get(mentor_id, set())
    return Pair(people.candidate(found[mentee_id], chains[mentee_id], goals),
                people.candidate(found[mentor_id], chains[mentor_id]),
                int(found[mentor_id].get("mentor_capacity") or 0), held)
