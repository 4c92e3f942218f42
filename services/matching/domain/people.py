"""Stored people, goals and programs turned into the matching core's types. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from services.matching.domain.candidates import Candidate, ProgramRules
from shared.errors import Conflict, NotFound

GONE = ("terminated", "erased")  # statuses that take a person out of every program


def is_gone(person: Mapping[str, Any] | None) -> bool:
    return person is not None and (bool(person.get("erased")) or person.get("employment_status") in GONE)


def goal_skills(goals: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """Target skills of the person's active goals, lower-case, each once, in a stable order."""
    skills = {s.strip().lower() for g in goals if g.get("status") == "active" for s in g.get("target_skills", [])}
    return tuple(sorted(skills))


def candidate(person: Mapping[str, Any], chain: tuple[str, ...], goals: Iterable[Mapping[str, Any]] = (),
              declined_mentors: Iterable[str] = ()) -> Candidate:
    """A stored person as a matching candidate (`declined_mentors`: pairs with them declined in the program)."""
    return Candidate(
        employee_id=person["_id"] if "_id" in person else person["employee_id"],
        name=person.get("name") or "",
        department=person.get("department") or "",
        grade=int(person.get("grade") or 1),
        languages=tuple(person.get("languages") or ()),
        timezone=person.get("timezone") or "UTC",
        skills={s["name"].strip().lower(): int(s["level"]) for s in person.get("skills") or ()},
        goal_skills=goal_skills(goals),
        manager_chain=chain,
        employment_status=person.get("employment_status") or "active",
        roles=tuple(person.get("roles") or ()),
        declined_mentors=tuple(sorted(set(declined_mentors))),
    )


def rules(program: Mapping[str, Any]) -> ProgramRules:
    """A program's weights and hard constraints as the core's rules."""
    constraints = program.get("constraints") or {}
    return ProgramRules(weights=dict(program.get("weights") or {}),
                        exclude_reporting_line=constraints.get("exclude_reporting_line", True),
                        max_grade_gap=constraints.get("max_grade_gap"),
                        require_shared_language=constraints.get("require_shared_language", False))


def scoring_instant(program: Mapping[str, Any]) -> datetime:
    """Noon UTC on the program's first day: timezone offsets (DST) are read at this one instant,
    so a pair scores the same in suggestions and in runs whenever they are asked for."""
    return datetime.combine(date.fromisoformat(program["starts_on"]), time(12), tzinfo=UTC)


def remaining_capacity(person: Mapping[str, Any], held: int) -> int:
    """A mentor's room left across all programs: capacity minus proposed and active mentorships."""
    return max(0, int(person.get("mentor_capacity") or 0) - held)


def check_enrollable(person: Mapping[str, Any] | None, employee_id: str, role: str) -> None:
    """The person must be known here, still employed, and have the role in their profile."""
    if person is None or person.get("erased"):
        raise NotFound(f"employee {employee_id} is not known to matching yet; "
                       "profiles reach it from the profiles service within seconds, so retry")
    if is_gone(person):
        raise Conflict(f"employee {employee_id} has left the company")
    if role not in (person.get("roles") or ()):
        raise Conflict(f"employee {employee_id} does not have the {role} role in their profile")
