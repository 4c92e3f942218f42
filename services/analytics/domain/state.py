"""The latest state of every aggregate of one program, resolved from its facts in any order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Doc = Mapping[str, Any]


@dataclass
class Person:
    """A person's latest profile plus their grade and employment history (one entry per version)."""

    person: str
    department: str | None = None
    grade: int | None = None
    mentor_capacity: int = 0
    employment_status: str | None = None
    employee_id: str | None = None
    name: str | None = None
    erased: bool = False
    history: list[Doc] = field(default_factory=list)


@dataclass
class Goal:
    goal: str
    person: str
    status: str
    progress: int
    created_at: str
    closed_at: str | None  # when it became completed or abandoned (None while active)
    updated_at: str  # its latest version: the last time its progress or status moved


@dataclass
class ProgramFacts:
    """Everything the KPIs of one program need, as latest states."""

    program_id: str
    program: Doc | None
    enrollments: dict[tuple[str, str], Doc]  # (person, role) -> latest enrollment fact
    mentorships: dict[str, dict[str, Any]]
    sessions: dict[str, Doc]
    feedback: list[Doc]
    goals: dict[str, Goal]
    people: dict[str, Person]

    def enrolled(self, role: str) -> set[str]:
        return {p for (p, r), doc in self.enrollments.items() if r == role and doc["status"] == "enrolled"}

    def participants(self) -> set[str]:
        """People currently enrolled, in either role."""
        return {p for (p, _), doc in self.enrollments.items() if doc["status"] == "enrolled"}

    def ever_enrolled(self) -> set[str]:
        return {p for p, _ in self.enrollments}


def latest(docs: Iterable[Doc], key: str, order: str) -> dict[str, Doc]:
    """Per aggregate, the fact with the highest `order` (version, status rank or time)."""
    found: dict[str, Doc] = {}
    for doc in docs:
        current = found.get(doc[key])
        if current is None or (doc[order], doc["_id"]) > (current[order], current["_id"]):
            found[doc[key]] = doc
    return found


def enrollments(docs: Iterable[Doc]) -> dict[tuple[str, str], Doc]:
    found: dict[tuple[str, str], Doc] = {}
    for doc in docs:
        key = (doc["person"], doc["role"])
        current = found.get(key)
        if current is None or (doc["at"], doc["status"]) > (current["at"], current["status"]):
            found[key] = doc
    return found


def mentorships(docs: Iterable[Doc]) -> dict[str, dict[str, Any]]:
    """Latest status per mentorship; start and end times from whichever transition carries them."""
    docs = list(docs)
    merged = {k: dict(v) for k, v in latest(docs, "mentorship", "rank").items()}
    for doc in docs:
        state = merged[doc["mentorship"]]
        for name in ("started_at", "ended_at", "created_at"):
            if state.get(name) is None and doc.get(name):
                state[name] = doc[name]
    return merged


def goals(docs: Iterable[Doc]) -> dict[str, Goal]:
    by_goal: dict[str, list[Doc]] = {}
    for doc in docs:
        by_goal.setdefault(doc["goal"], []).append(doc)
    return {goal_id: _goal(versions) for goal_id, versions in by_goal.items()}


def _goal(versions: list[Doc]) -> Goal:
    versions = sorted(versions, key=lambda d: d["version"])
    last = versions[-1]
    closed_at = None
    if last["status"] != "active":
        for doc in reversed(versions):  # the start of the final run in the closed status
            if doc["status"] != last["status"]:
                break
            closed_at = doc["at"]
    return Goal(last["goal"], last["person"], last["status"], last["progress"], versions[0]["at"], closed_at,
                last["at"])


def people(docs: Iterable[Doc]) -> dict[str, Person]:
    by_person: dict[str, list[Doc]] = {}
    for doc in docs:
        by_person.setdefault(doc["person"], []).append(doc)
    return {pid: person(versions) for pid, versions in by_person.items()}


def person(versions: list[Doc]) -> Person:
    versions = sorted(versions, key=lambda d: d["version"])
    profiles = [d for d in versions if not d.get("erased")]
    erased = bool(versions[-1].get("erased"))
    if not profiles:
        return Person(versions[-1]["person"], erased=erased)
    last = profiles[-1]
    history = [{"version": d["version"], "at": d["at"], "grade": d["grade"],
                "employment_status": d["employment_status"], "department": d["department"]} for d in profiles]
    return Person(last["person"], last["department"], last["grade"], last.get("mentor_capacity") or 0,
                  last["employment_status"], None if erased else last.get("employee_id"),
                  None if erased else last.get("name"), erased, history)
