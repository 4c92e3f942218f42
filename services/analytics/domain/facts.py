"""Each event becomes one immutable fact document, keyed by its aggregate id and version or status.

Facts hold people only under their pseudonym (`Pseudonymise`), except the person's own profile facts,
which also carry the employee id, name and email until the person is erased.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from services.analytics.domain.times import normalise
from shared.events import Event

Pseudonymise = Callable[[str], str]

PEOPLE, PROGRAMS, ENROLLMENTS = "people", "programs", "enrollments"
MENTORSHIPS, SESSIONS, GOALS, FEEDBACK = "mentorships", "sessions", "goals", "feedback"
KINDS = (PEOPLE, PROGRAMS, ENROLLMENTS, MENTORSHIPS, SESSIONS, GOALS, FEEDBACK)
PROGRAM_SCOPED = (ENROLLMENTS, MENTORSHIPS, SESSIONS, FEEDBACK)  # facts that carry their program_id

# Later statuses win when the latest state is resolved; replays of earlier ones change nothing.
MENTORSHIP_RANK = {"proposed": 0, "declined": 1, "active": 1, "ended": 2}
SESSION_RANK = {"scheduled": 0, "cancelled": 1, "completed": 2}
CONTACT_FIELDS = ("employee_id", "name", "email")


@dataclass(frozen=True)
class Fact:
    kind: str
    doc: dict[str, Any]


@dataclass(frozen=True)
class Erasure:
    """`mentoring.profile.deleted`: the person's contact data goes, their pseudonymous facts stay."""

    person: str
    version: int
    at: str


def version_key(aggregate: str, version: int) -> str:
    return f"{aggregate}:{version:09d}"


def profile_fact(event: Event, pseudonymise: Pseudonymise) -> Fact:
    data = event.data
    person = pseudonymise(data["employee_id"])
    doc = {"_id": version_key(person, data["version"]), "person": person, "version": data["version"],
           "at": normalise(data.get("updated_at"), event.time), "department": data["department"],
           "grade": data["grade"], "roles": list(data["roles"]), "mentor_capacity": data["mentor_capacity"],
           "employment_status": data["employment_status"]}
    doc.update({name: data[name] for name in CONTACT_FIELDS})
    return Fact(PEOPLE, doc)


def erasure(event: Event, pseudonymise: Pseudonymise) -> Erasure:
    return Erasure(pseudonymise(event.data["employee_id"]), event.data["version"], normalise(event.time))


def erasure_fact(erased: Erasure) -> Fact:
    return Fact(PEOPLE, {"_id": version_key(erased.person, erased.version), "person": erased.person,
                         "version": erased.version, "at": erased.at, "erased": True})


def program_fact(event: Event) -> Fact:
    data = event.data
    return Fact(PROGRAMS, {"_id": data["program_id"], "program_id": data["program_id"], "name": data["name"],
                           "starts_on": data["starts_on"], "ends_on": data["ends_on"],
                           "checkin_every_days": data["checkin_every_days"], "created_at": normalise(event.time)})


def enrollment_fact(event: Event, pseudonymise: Pseudonymise, status: str) -> Fact:
    """`status`: "enrolled" or "withdrawn", as the event's type says."""
    data, person = event.data, pseudonymise(event.data["employee_id"])
    at = normalise(data.get("at"), event.time)
    return Fact(ENROLLMENTS, {"_id": f"{data['program_id']}:{person}:{data['role']}:{at}:{status}",
                              "program_id": data["program_id"], "person": person, "role": data["role"],
                              "status": status, "at": at})


def mentorship_fact(event: Event, pseudonymise: Pseudonymise) -> Fact:
    data = event.data
    return Fact(MENTORSHIPS, {
        "_id": f"{data['mentorship_id']}:{data['status']}", "mentorship": data["mentorship_id"],
        "program_id": data["program_id"], "mentor": pseudonymise(data["mentor_id"]),
        "mentee": pseudonymise(data["mentee_id"]), "status": data["status"],
        "rank": MENTORSHIP_RANK[data["status"]], "created_at": normalise(data.get("created_at"), event.time),
        "started_at": normalise(data.get("started_at")), "ended_at": normalise(data.get("ended_at")),
        "at": normalise(event.time)})


def session_fact(event: Event, pseudonymise: Pseudonymise) -> Fact:
    data = event.data
    return Fact(SESSIONS, {
        "_id": f"{data['session_id']}:{data['status']}", "session": data["session_id"],
        "mentorship": data["mentorship_id"], "program_id": data["program_id"],
        "mentor": pseudonymise(data["mentor_id"]), "mentee": pseudonymise(data["mentee_id"]),
        "status": data["status"], "rank": SESSION_RANK[data["status"]],
        "scheduled_at": normalise(data["scheduled_at"]), "completed_at": _completed_at(event),
        "at": normalise(event.time)})


def _completed_at(event: Event) -> str | None:
    if event.data["status"] != "completed":
        return None
    return normalise(event.data.get("completed_at"), event.time)


def goal_fact(event: Event, pseudonymise: Pseudonymise) -> Fact:
    data = event.data
    return Fact(GOALS, {"_id": version_key(data["goal_id"], data["version"]), "goal": data["goal_id"],
                        "person": pseudonymise(data["employee_id"]), "version": data["version"],
                        "status": data["status"], "progress": data["progress"],
                        "at": normalise(data.get("updated_at"), event.time)})


def feedback_fact(event: Event, pseudonymise: Pseudonymise) -> Fact:
    data = event.data
    return Fact(FEEDBACK, {"_id": data["feedback_id"], "program_id": data["program_id"],
                           "mentorship": data["mentorship_id"], "session": data.get("session_id"),
                           "author": pseudonymise(data["author_id"]), "author_role": data["author_role"],
                           "rating": data["rating"], "at": normalise(data.get("submitted_at"), event.time)})


def strip_contact(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A profile fact without the person's employee id, name and email."""
    return {k: v for k, v in doc.items() if k not in CONTACT_FIELDS}


def without_erased_contacts(docs: list[dict[str, Any]], erased: Mapping[str, int]) -> list[dict[str, Any]]:
    """Profile facts to store: late or replayed versions of someone already erased lose their contact data."""
    return [strip_contact(d) if d["version"] < erased.get(d["person"], 0) else d for d in docs]
