"""Ranked mentor suggestions for one mentee, with each pair's score breakdown and reasons."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from services.matching.domain.scoring import ScoringModel, suggest
from services.matching.use_cases.pool import ProgramPool, load_pool
from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.programs import get_program
from shared.errors import Conflict, NotFound


def suggestions(uow: UnitOfWork, program_id: str, mentee_id: str, limit: int) -> list[dict[str, Any]]:
    """Eligible mentors with room left, best first; mentors who declined this mentee here are left out."""
    program = get_program(uow, program_id)
    enrollment = uow.enrollments.get(program_id, mentee_id)
    if enrollment is None or enrollment["status"] != "active" or enrollment["role"] != "mentee":
        raise NotFound(f"{mentee_id} is not enrolled in this program as a mentee")
    pool = load_pool(uow, program, [mentee_id])
    if mentee_id not in pool.mentees:
        raise Conflict(f"{mentee_id} is no longer known to matching")
    return ranked(pool, mentee_id, set(), limit)


def ranked(pool: ProgramPool, mentee_id: str, excluded: set[str], limit: int,
           model: ScoringModel | None = None) -> list[dict[str, Any]]:
    """The pool's best mentors for one of its mentees, leaving out `excluded` (the mentee's hard
    constraints already rule out mentors who declined them in the program)."""
    room = pool.room_without(excluded)
    return [asdict(s) for s in suggest(model or pool.model(), pool.mentees[mentee_id], room, limit)]
