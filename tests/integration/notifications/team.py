"""A small cast per test: a mentor, a mentee, the mentee's manager and a program admin, known to both services."""

from __future__ import annotations

from dataclasses import dataclass

from tests.integration.notifications.support import Bus, Store, mentorship, program
from tests.support.http import Client

BIO_MARKER = "PRIVATE-BIO-7Q2"  # bios stay in profiles; no message may ever show one


@dataclass
class Team:
    uid: str
    program_id: str
    mentor: str
    mentee: str
    manager: str
    admin: str

    def email(self, employee_id: str) -> str:
        return f"{employee_id}@example.com"

    def pair(self, status: str, mentorship_id: str | None = None, **extra) -> dict:
        return mentorship(mentorship_id or f"m-{self.uid}", self.program_id, self.mentor, self.mentee, status,
                          **extra)


def hire(hr: Client, employee_id: str, name: str, *, manager_id: str | None = None, timezone: str = "UTC",
         bio: str | None = None, roles: tuple[str, ...] = ("mentee",)) -> str:
    """HR creates a profile through the real profiles API; returns the person's email address."""
    address = f"{employee_id}@example.com"
    body = {"name": name, "email": address, "department": "Engineering", "grade": 5, "roles": list(roles),
            "manager_id": manager_id, "timezone": timezone, "bio": bio}
    response = hr.put(f"/v1/profiles/{employee_id}", json=body)
    assert response.status_code in (200, 201), response.text
    return address


def make_team(hr, bus: Bus, store: Store, uid: str, *, every: int = 14, mentee_tz: str = "UTC") -> Team:
    team = Team(uid, f"p-{uid}", f"mentor-{uid}", f"mentee-{uid}", f"boss-{uid}", f"admin-{uid}")
    hire(hr, team.manager, f"Bea Boss {uid}", bio=BIO_MARKER)
    hire(hr, team.admin, f"Ada Admin {uid}")
    hire(hr, team.mentor, f"Mo Mentor {uid}", roles=("mentor",), bio=BIO_MARKER)
    hire(hr, team.mentee, f"Mia Mentee {uid}", manager_id=team.manager, timezone=mentee_tz, bio=BIO_MARKER)
    bus.publish("mentoring.program.created", program(team.program_id, admin_id=team.admin, every=every,
                                                      name=f"Cohort {uid}"))
    store.wait_known(team.manager, team.admin, team.mentor, team.mentee)
    return team
