"""A small organisation on the in-memory fakes: people as the profiles stream brings them, a program,
enrollments, and callers with tokens' principals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from services.matching.use_cases import directory, enrollments, programs, proposals
from services.matching.use_cases.mentorships import act_on
from shared.auth import Principal
from shared.backfill import Backfill
from shared.timeutil import to_rfc3339, utcnow
from tests.unit.matching.fakes import FakeUnitOfWork

ADMIN = Principal(sub="admin-1", roles=frozenset({"program_admin"}), employee_id=None)


def person(employee_id: str, *, name: str | None = None, roles=("mentee",), grade: int = 5, version: int = 1,
           department: str = "Engineering", manager_id: str | None = None, capacity: int = 1,
           skills=(("python", 3),), status: str = "active", languages=("en",)) -> dict[str, Any]:
    """A profile as it arrives on the profiles stream."""
    return {"employee_id": employee_id, "version": version, "name": name or f"{employee_id.title()} Example",
            "department": department, "grade": grade, "languages": list(languages), "timezone": "Europe/Berlin",
            "skills": [{"name": s, "level": lvl} for s, lvl in skills], "roles": list(roles),
            "mentor_capacity": capacity, "manager_id": manager_id, "employment_status": status,
            "updated_at": "2025-01-01T00:00:00Z"}


def employee(employee_id: str, *roles: str) -> Principal:
    return Principal(sub=employee_id, roles=frozenset(roles or ("employee",)), employee_id=employee_id)


class Org:
    """Drives the use cases the way the routes and handlers do."""

    def __init__(self, uow: FakeUnitOfWork):
        self.uow = uow

    def hire(self, employee_id: str, **profile: Any) -> dict[str, Any]:
        data = person(employee_id, **profile)
        directory.profile_changed(self.uow, data)
        return data

    def program(self, **overrides: Any) -> str:
        body = {"name": "Spring", "starts_on": date(2025, 1, 6), "ends_on": date(2025, 12, 19),
                "checkin_every_days": 14, **overrides}
        return programs.create_program(self.uow, body, "admin-1")["program_id"]

    def enroll(self, program_id: str, employee_id: str, role: str) -> dict[str, Any]:
        return enrollments.enroll(self.uow, program_id, employee_id, role)[0]

    def pair(self, program_id: str, mentor_id: str, mentee_id: str, *, accepted: bool = True) -> dict[str, Any]:
        """Both enrolled, proposed by hand and (by default) accepted by the mentor."""
        proposed = proposals.propose(self.uow, program_id, mentor_id, mentee_id, "admin-1")
        if not accepted:
            return proposed
        return act_on(self.uow, employee(mentor_id), proposed["mentorship_id"], "accept")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def org(uow) -> Org:
    return Org(uow)


@pytest.fixture
def team(org):
    """A program with a senior mentor (capacity 2), a second mentor and two mentees, all enrolled."""
    org.hire("ada", name="Ada Lovelace", roles=("mentor",), grade=9, capacity=2, skills=(("python", 5),))
    org.hire("bo", name="Bo Chen", roles=("mentor",), grade=8, department="Finance", skills=(("python", 4),))
    org.hire("cy", name="Cy Young", grade=4, skills=(("python", 1),))
    org.hire("di", name="Di Prince", grade=4)
    program_id = org.program()
    for mentor in ("ada", "bo"):
        org.enroll(program_id, mentor, "mentor")
    for mentee in ("cy", "di"):
        org.enroll(program_id, mentee, "mentee")
    return program_id


def days_ago(days: float) -> Backfill:
    """A program admin's backfill of something that happened `days` ago."""
    return Backfill(utcnow() - timedelta(days=days), "admin-1")


def at(backfill: Backfill) -> str:
    return to_rfc3339(backfill.occurred_at)


@pytest.fixture
def history(org):
    """A program whose mentor (capacity 2) and mentee were enrolled 180 days ago, as backfilled history."""
    org.hire("ada", name="Ada Lovelace", roles=("mentor",), grade=9, capacity=2)
    org.hire("cy", name="Cy Young", grade=4)
    program_id = org.program()
    for employee_id, role in (("ada", "mentor"), ("cy", "mentee")):
        enrollments.enroll(org.uow, program_id, employee_id, role, days_ago(180))
    return program_id
