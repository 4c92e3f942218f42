"""Enrollments: enroll a person in a role their profile has, withdraw them, list a program's."""

from __future__ import annotations

from typing import Any

from services.matching.domain.backfill import enrollment_history
from services.matching.domain.people import check_enrollable
from services.matching.use_cases import backfills, events
from services.matching.use_cases.departures import WITHDRAWN, leave_program
from services.matching.use_cases.ports import Page, UnitOfWork
from services.matching.use_cases.programs import get_program
from shared.backfill import Backfill
from shared.errors import Conflict, NotFound
from shared.events import catalog as ev

# a concurrent enrol or withdrawal of the same person can win the conditional write; each retry
# re-reads and decides again, and a person's enrollment changes hands only so often in one request
ATTEMPTS = 3


def enroll(uow: UnitOfWork, program_id: str, employee_id: str, role: str,
           backfill: Backfill | None = None) -> tuple[dict[str, Any], bool]:
    """Enroll someone in a role their profile has; (enrollment, created). Re-enrolling is a no-op."""
    get_program(uow, program_id)
    check_enrollable(uow.people.get(employee_id), employee_id, role)
    return backfills.recording(uow, backfill, lambda tx: _enroll(tx, program_id, employee_id, role, backfill))


def _enroll(uow: UnitOfWork, program_id: str, employee_id: str, role: str,
            backfill: Backfill | None) -> tuple[dict[str, Any], bool]:
    for _ in range(ATTEMPTS):
        current = uow.enrollments.get(program_id, employee_id)
        outcome = _enroll_once(uow, program_id, employee_id, role, current, backfill)
        if outcome is not None:
            return outcome
    raise Conflict("the enrollment is being changed concurrently; retry")


def _enroll_once(uow: UnitOfWork, program_id: str, employee_id: str, role: str, current: dict[str, Any] | None,
                 backfill: Backfill | None) -> tuple[dict[str, Any], bool] | None:
    """(enrollment, created), or None when a concurrent writer got there first."""
    if current is not None and current["status"] == "active":
        if current["role"] != role:
            raise Conflict(f"{employee_id} is already enrolled in this program as a {current['role']}")
        return current, False
    when = backfills.stamp(backfill).applied_to(enrollment_history(current))
    enrollment = new_enrollment(program_id, employee_id, role, current, when.at)
    announced = [events.enrollment(ev.ENROLLMENT_CREATED, enrollment, when.at, backfilled=when.backfilled)]
    written = (uow.enrollments.insert(enrollment, announced) if current is None
               else uow.enrollments.update(current, enrollment, announced))
    if not written:
        return None
    backfills.recorded(uow, backfill, backfills.ENROLLED, program_id, program_id, [employee_id])
    return enrollment, True


def new_enrollment(program_id: str, employee_id: str, role: str, current: dict[str, Any] | None,
                   now: str) -> dict[str, Any]:
    """An active enrollment, replacing a withdrawn one (`current`) at the next version."""
    return {"program_id": program_id, "employee_id": employee_id, "role": role, "status": "active",
            "enrolled_at": now, "withdrawn_at": None, "withdraw_reason": None,
            "version": (current or {}).get("version", 0) + 1}


def withdraw(uow: UnitOfWork, program_id: str, employee_id: str) -> None:
    """Leave the program; open mentorships in it end. Withdrawing twice is fine."""
    get_program(uow, program_id)
    enrollment = uow.enrollments.get(program_id, employee_id)
    if enrollment is None:
        raise NotFound(f"{employee_id} is not enrolled in program {program_id}")
    leave_program(uow, enrollment, WITHDRAWN)


def list_enrollments(uow: UnitOfWork, program_id: str, *, role: str | None, status: str | None, limit: int,
                     cursor: str | None) -> Page:
    get_program(uow, program_id)
    return uow.enrollments.page(program_id, role=role, status=status, limit=limit, cursor=cursor)
