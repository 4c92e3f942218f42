"""Valid CloudEvents for hand-built scenarios (every one passes the shared event schemas)."""

from __future__ import annotations

from shared.events import new_event

T0 = "2025-03-03T09:00:00.000000Z"  # a Monday


def at(day: int, hour: int = 9) -> str:
    """A time `day` days after T0 (March 2025 has 31 days; April follows)."""
    from datetime import datetime, timedelta

    base = datetime.fromisoformat(T0.replace("Z", "+00:00")) + timedelta(days=day, hours=hour - 9)
    return base.isoformat().replace("+00:00", "Z")


def profile(emp: str, version: int = 1, *, department: str = "Engineering", grade: int = 5,
            roles=("mentee",), capacity: int | None = None, status: str = "active", when: str = T0,
            name: str | None = None):
    kind = "created" if version == 1 else "updated"
    data = {"employee_id": emp, "version": version, "name": name or f"Name {emp}", "email": f"{emp}@example.com",
            "title": None, "department": department, "location": None, "timezone": "UTC", "languages": ["en"],
            "manager_id": None, "grade": grade, "years_experience": 3.0, "skills": [], "interests": [],
            "roles": list(roles), "mentor_capacity": capacity if capacity is not None else (2 if "mentor" in roles
                                                                                            else 0),
            "availability_hours_per_month": None, "employment_status": status, "updated_at": when}
    return new_event(f"mentoring.profile.{kind}", data, source="/tandem/profiles")


def deleted(emp: str, version: int):
    return new_event("mentoring.profile.deleted", {"employee_id": emp, "version": version},
                     source="/tandem/profiles")


def program(pid: str, starts_on: str = "2025-03-01", ends_on: str = "2025-08-31"):
    return new_event("mentoring.program.created", {"program_id": pid, "name": f"Program {pid}",
                                                   "starts_on": starts_on, "ends_on": ends_on,
                                                   "checkin_every_days": 14}, source="/tandem/matching")


def enrollment(pid: str, emp: str, role: str, when: str = T0, *, withdrawn: bool = False):
    kind = "withdrawn" if withdrawn else "created"
    return new_event(f"mentoring.enrollment.{kind}", {"program_id": pid, "employee_id": emp, "role": role,
                                                      "at": when}, source="/tandem/matching")


def mentorship(status: str, mid: str, pid: str, mentor: str, mentee: str, *, created: str = T0,
               started: str | None = None, ended: str | None = None):
    kind = {"proposed": "proposed", "active": "started", "declined": "declined", "ended": "ended"}[status]
    data = {"mentorship_id": mid, "program_id": pid, "mentor_id": mentor, "mentee_id": mentee, "status": status,
            "score": 0.8, "created_at": created, "started_at": started, "ended_at": ended}
    return new_event(f"mentoring.mentorship.{kind}", data, source="/tandem/matching")


def session(status: str, sid: str, mid: str, pid: str, mentor: str, mentee: str, *, scheduled: str = T0,
            completed: str | None = None):
    data = {"session_id": sid, "mentorship_id": mid, "program_id": pid, "mentor_id": mentor, "mentee_id": mentee,
            "status": status, "scheduled_at": scheduled, "duration_minutes": 45, "completed_at": completed}
    return new_event(f"mentoring.session.{status}", data, source="/tandem/matching")


def goal(status: str, gid: str, emp: str, version: int, progress: int, when: str):
    kind = {1: "created"}.get(version, "completed" if status == "completed" else "progressed")
    data = {"goal_id": gid, "employee_id": emp, "status": status, "progress": progress, "version": version,
            "updated_at": when}
    return new_event(f"mentoring.goal.{kind}", data, source="/tandem/profiles")


def feedback(fid: str, mid: str, pid: str, author: str, rating: int, when: str, role: str = "mentee"):
    data = {"feedback_id": fid, "mentorship_id": mid, "program_id": pid, "session_id": None, "author_id": author,
            "author_role": role, "rating": rating, "submitted_at": when}
    return new_event("mentoring.feedback.submitted", data, source="/tandem/matching")
