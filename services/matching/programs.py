"""Use cases for programs and enrollments: create, read, enroll, withdraw."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.matching import events
from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.departures import Departures
from services.matching.domain import people
from services.matching.domain.scoring import CRITERIA, DEFAULT_WEIGHTS, normalised_weights
from shared.errors import Conflict, Invalid, NotFound
from shared.events import catalog as ev
from shared.timeutil import now_rfc3339

DEFAULT_CONSTRAINTS = {"exclude_reporting_line": True, "max_grade_gap": None, "require_shared_language": False}


class ProgramService:
    def __init__(self, repos: MatchingUnitOfWork):
        self.repos = repos

    def create(self, body: Mapping[str, Any], admin_id: str) -> dict[str, Any]:
        """A new program with its effective weights and constraints; announces `program.created`."""
        if body["ends_on"] < body["starts_on"]:
            raise Invalid("a program ends on or after its start", {"ends_on": ["is before starts_on"]})
        weights = {c: float((body.get("weights") or {}).get(c, DEFAULT_WEIGHTS[c])) for c in CRITERIA}
        try:
            normalised_weights(weights)
        except ValueError as exc:
            raise Invalid(str(exc), {"weights": [str(exc)]}) from exc
        program = {"program_id": str(uuid.uuid4()), "name": body["name"], "starts_on": body["starts_on"].isoformat(),
                   "ends_on": body["ends_on"].isoformat(), "checkin_every_days": body["checkin_every_days"],
                   "weights": weights, "constraints": {**DEFAULT_CONSTRAINTS, **(body.get("constraints") or {})},
                   "admin_id": admin_id, "version": 1, "created_at": now_rfc3339()}
        self.repos.programs.insert(program, [events.program_created(program)])
        return program

    def get(self, program_id: str) -> dict[str, Any]:
        program = self.repos.programs.get(program_id)
        if program is None:
            raise NotFound(f"no program {program_id}")
        return program

    # -- enrollments -------------------------------------------------------------------------------
    def enroll(self, program_id: str, employee_id: str, role: str) -> tuple[dict[str, Any], bool]:
        """Enroll someone in a role their profile has; (enrollment, created). Re-enrolling is a no-op."""
        self.get(program_id)
        check_enrollable(self.repos.people.get(employee_id), employee_id, role)
        for _ in range(5):
            current = self.repos.enrollments.get(program_id, employee_id)
            outcome = self._enroll_once(program_id, employee_id, role, current)
            if outcome is not None:
                return outcome
        raise Conflict("the enrollment is being changed concurrently; retry")

    def _enroll_once(self, program_id: str, employee_id: str, role: str,
                     current: dict[str, Any] | None) -> tuple[dict[str, Any], bool] | None:
        if current is not None and current["status"] == "active":
            if current["role"] != role:
                raise Conflict(f"{employee_id} is already enrolled in this program as a {current['role']}")
            return current, False
        now = now_rfc3339()
        fresh = {"program_id": program_id, "employee_id": employee_id, "role": role, "status": "active",
                 "enrolled_at": now, "withdrawn_at": None, "withdraw_reason": None}
        if current is None:
            enrollment = {**fresh, "version": 1}
            announced = events.enrollment(ev.ENROLLMENT_CREATED, enrollment, now)
            written = self.repos.enrollments.insert(enrollment, [announced])
        else:
            enrollment = {**fresh, "version": current["version"] + 1}
            written = self.repos.enrollments.update(current, enrollment,
                                                    [events.enrollment(ev.ENROLLMENT_CREATED, enrollment, now)])
        return (enrollment, True) if written else None

    def withdraw(self, program_id: str, employee_id: str, reason: str = "withdrawn") -> None:
        """Leave the program; open mentorships in it end. Withdrawing twice is fine."""
        self.get(program_id)
        enrollment = self.repos.enrollments.get(program_id, employee_id)
        if enrollment is None:
            raise NotFound(f"{employee_id} is not enrolled in program {program_id}")
        Departures(self.repos).leave_program(enrollment, reason)

    def enrollments(self, program_id: str, query: Mapping[str, Any]) -> dict[str, Any]:
        self.get(program_id)
        return self.repos.enrollments.page(program_id, role=query.get("role"), status=query.get("status"),
                                           limit=query["limit"], cursor=query["cursor"])


def check_enrollable(person: Mapping[str, Any] | None, employee_id: str, role: str) -> None:
    """The person must be known here, still employed, and have the role in their profile."""
    if person is None or person.get("erased"):
        raise NotFound(f"employee {employee_id} is not known to matching yet; "
                       "profiles reach it from the profiles service within seconds, so retry")
    if people.is_gone(person):
        raise Conflict(f"employee {employee_id} has left the company")
    if role not in (person.get("roles") or ()):
        raise Conflict(f"employee {employee_id} does not have the {role} role in their profile")
