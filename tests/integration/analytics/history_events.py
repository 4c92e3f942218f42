"""The CloudEvents of a backfilled history: what profiles and matching publish for each past write.

Every event's data carries the past moment and `backfilled: true`; its CloudEvents `time` is now.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from shared.events import Event, new_event
from shared.events import catalog as ev
from shared.timeutil import to_rfc3339

PROFILES, MATCHING = "/tandem/profiles", "/tandem/matching"


def backfilled(kind: ev.EventType, data: dict, source: str = MATCHING) -> Event:
    return new_event(kind, {**data, "backfilled": True}, source=source)


@dataclass(frozen=True)
class Profile:
    employee_id: str
    name: str
    department: str
    grade: int
    role: str
    capacity: int
    version: int = 1
    status: str = "active"

    def promoted(self) -> Profile:
        return replace(self, grade=self.grade + 1, version=self.version + 1)

    def leaving(self) -> Profile:
        return replace(self, status="terminated", version=self.version + 1)


def profile(p: Profile, at: datetime) -> Event:
    data = {"employee_id": p.employee_id, "version": p.version, "name": p.name,
            "email": f"{p.employee_id}@example.com", "title": None, "department": p.department, "location": None,
            "timezone": "UTC", "languages": ["en"], "manager_id": None, "grade": p.grade, "years_experience": 5.0,
            "skills": [], "interests": [], "roles": [p.role], "mentor_capacity": p.capacity,
            "availability_hours_per_month": None, "employment_status": p.status, "updated_at": to_rfc3339(at)}
    return backfilled(ev.PROFILE_CREATED if p.version == 1 else ev.PROFILE_UPDATED, data, PROFILES)


def goal(goal_id: str, employee_id: str, version: int, progress: int, at: datetime) -> Event:
    status = "completed" if progress >= 100 else "active"
    kind = ev.GOAL_CREATED if version == 1 else ev.GOAL_COMPLETED if status == "completed" else ev.GOAL_PROGRESSED
    return backfilled(kind, {"goal_id": goal_id, "employee_id": employee_id, "status": status, "progress": progress,
                             "version": version, "updated_at": to_rfc3339(at)}, PROFILES)


def program(program_id: str, name: str, starts_on: str, ends_on: str, checkin_every_days: int) -> Event:
    return new_event(ev.PROGRAM_CREATED, {"program_id": program_id, "name": name, "starts_on": starts_on,
                                          "ends_on": ends_on, "checkin_every_days": checkin_every_days},
                     source=MATCHING)


def enrollment(kind: ev.EventType, program_id: str, employee_id: str, role: str, at: datetime) -> Event:
    return backfilled(kind, {"program_id": program_id, "employee_id": employee_id, "role": role,
                             "at": to_rfc3339(at)})


@dataclass(frozen=True)
class Pair:
    mentorship_id: str
    program_id: str
    mentor_id: str
    mentee_id: str
    created_at: datetime

    def event(self, kind: ev.EventType, status: str, started: datetime | None = None,
              ended: datetime | None = None) -> Event:
        return backfilled(kind, {
            "mentorship_id": self.mentorship_id, "program_id": self.program_id, "mentor_id": self.mentor_id,
            "mentee_id": self.mentee_id, "status": status, "score": 0.7, "created_at": to_rfc3339(self.created_at),
            "started_at": started and to_rfc3339(started), "ended_at": ended and to_rfc3339(ended)})

    def session(self, kind: ev.EventType, session_id: str, scheduled: datetime,
                completed: datetime | None = None) -> Event:
        status = {ev.SESSION_SCHEDULED: "scheduled", ev.SESSION_COMPLETED: "completed"}.get(kind, "cancelled")
        return backfilled(kind, {
            "session_id": session_id, "mentorship_id": self.mentorship_id, "program_id": self.program_id,
            "mentor_id": self.mentor_id, "mentee_id": self.mentee_id, "status": status,
            "scheduled_at": to_rfc3339(scheduled), "duration_minutes": 45,
            "completed_at": completed and to_rfc3339(completed)})

    def rating(self, feedback_id: str, session_id: str, role: str, stars: int, at: datetime) -> Event:
        author = self.mentee_id if role == "mentee" else self.mentor_id
        return backfilled(ev.FEEDBACK_SUBMITTED, {
            "feedback_id": feedback_id, "mentorship_id": self.mentorship_id, "program_id": self.program_id,
            "session_id": session_id, "author_id": author, "author_role": role, "rating": stars,
            "submitted_at": to_rfc3339(at)})
