"""This service's own copy of what the bus told it: people, programs, mentorships, sessions, goals.

Every write is idempotent and order-tolerant. Mentorships and sessions are kept as insert-only status
facts (`<id>:<status>`), folded when a job reads them, so the consumer never reads before it writes
and a late or replayed event cannot move a status back. People and goals carry a version; each of
their documents is written from one topic and key only (one partition, so one consumer at a time),
which makes read-compare-write safe even on stores that do not isolate concurrent updates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.timeutil import parse_rfc3339

PEOPLE, PROGRAMS = "notifications_people", "notifications_programs"
MENTORSHIPS, SESSIONS, GOALS = "notifications_mentorships", "notifications_sessions", "notifications_goals"
FEEDBACK = "notifications_feedback"

PERSON_FIELDS = ("name", "email", "timezone", "manager_id", "employment_status", "version")
MENTORSHIP_RANK = {"proposed": 1, "active": 2, "declined": 2, "ended": 3}
SESSION_RANK = {"scheduled": 1, "completed": 2, "cancelled": 2}


def moment(value: str | None) -> datetime | None:
    return parse_rfc3339(value) if value else None


def write_if_newer(coll: Collection, doc_id: str, field: str, value: Any, fields: Mapping[str, Any]) -> bool:
    """Set `fields` unless the stored `field` is already >= `value` (a replay or a stale event)."""
    stored = coll.find_one({"_id": doc_id}, {field: 1})
    if stored is not None and stored.get(field) is not None and stored[field] >= value:
        return False
    if stored is not None:
        coll.update_one({"_id": doc_id}, {"$set": {**fields, field: value}})
        return True
    try:
        coll.insert_one({"_id": doc_id, **fields, field: value})
    except DuplicateKeyError:  # created meanwhile by a redelivery of the same event: compare again
        return write_if_newer(coll, doc_id, field, value, fields)
    return True


class Projections:
    def __init__(self, db: Database):
        self.people, self.programs = db[PEOPLE], db[PROGRAMS]
        self.mentorships, self.sessions_facts, self.goals = db[MENTORSHIPS], db[SESSIONS], db[GOALS]
        self.feedback = db[FEEDBACK]

    # -- writes, one per event type ------------------------------------------------------------
    def record_person(self, data: Mapping[str, Any]) -> None:
        fields = {k: data.get(k) for k in PERSON_FIELDS if k != "version"}
        if write_if_newer(self.people, data["employee_id"], "version", data["version"], fields):
            self.people.update_one({"_id": data["employee_id"]}, {"$unset": {"erased": ""}})

    def erase_person(self, employee_id: str, version: int) -> None:
        """Keep only a tombstone, so late or replayed events cannot bring the person back."""
        self.people.replace_one({"_id": employee_id}, {"_id": employee_id, "erased": True, "version": version},
                                upsert=True)
        self.goals.delete_one({"_id": employee_id})

    def record_program(self, data: Mapping[str, Any]) -> None:
        fields = {k: data.get(k) for k in ("name", "starts_on", "ends_on", "checkin_every_days", "admin_id")}
        self.programs.replace_one({"_id": data["program_id"]}, {"_id": data["program_id"], **fields}, upsert=True)

    def record_mentorship(self, data: Mapping[str, Any]) -> None:
        """One insert-only fact per status: replays are duplicates, and no read is needed on the way in."""
        fields = {k: data.get(k) for k in ("mentorship_id", "program_id", "mentor_id", "mentee_id", "status",
                                           "reasons")}
        fields |= {"started_at": moment(data.get("started_at")), "ended_at": moment(data.get("ended_at"))}
        _insert_once(self.mentorships, {"_id": f"{data['mentorship_id']}:{data['status']}", **fields})

    def record_session(self, data: Mapping[str, Any]) -> None:
        fields = {k: data.get(k) for k in ("session_id", "mentorship_id", "program_id", "mentor_id", "mentee_id",
                                           "status", "duration_minutes")}
        fields |= {"scheduled_at": moment(data["scheduled_at"]), "completed_at": moment(data.get("completed_at"))}
        _insert_once(self.sessions_facts, {"_id": f"{data['session_id']}:{data['status']}", **fields})

    def record_feedback(self, data: Mapping[str, Any]) -> None:
        """Only that feedback exists and when: ratings never enter this store, so no message can leak one."""
        try:
            self.feedback.insert_one({"_id": data["feedback_id"], "mentorship_id": data["mentorship_id"],
                                      "submitted_at": moment(data.get("submitted_at"))})
        except DuplicateKeyError:
            pass

    def record_goal(self, data: Mapping[str, Any]) -> None:
        """A person's goals live in one document (by employee), so their counts are one read."""
        stored = self.goals.find_one({"_id": data["employee_id"]}) or {"goals": []}
        goals = {g["goal_id"]: g for g in stored["goals"]}
        if data["goal_id"] in goals and goals[data["goal_id"]]["version"] >= data["version"]:
            return
        goals[data["goal_id"]] = {k: data.get(k) for k in ("goal_id", "employee_id", "status", "progress",
                                                            "version", "updated_at")}
        self.goals.replace_one({"_id": data["employee_id"]}, {"_id": data["employee_id"],
                                                              "goals": list(goals.values())}, upsert=True)

    # -- reads ---------------------------------------------------------------------------------
    def people_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return _by_id(self.people, ids)

    def programs_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return _by_id(self.programs, ids)

    def goals_of(self, employee_ids: Iterable[str]) -> list[dict[str, Any]]:
        return [g for doc in _by_id(self.goals, employee_ids).values() for g in doc["goals"]]

    def sessions(self, mentorship_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Each session as it stands now (its facts folded), optionally of some mentorships only."""
        query = {} if mentorship_ids is None else {"mentorship_id": {"$in": sorted(set(mentorship_ids))}}
        return fold(self.sessions_facts.find(query), "session_id", SESSION_RANK)

    def sessions_starting(self, after: datetime, until: datetime) -> list[dict[str, Any]]:
        return [s for s in self.sessions() if s["status"] == "scheduled" and after < s["scheduled_at"] <= until]

    def sessions_of(self, mentorship_ids: Iterable[str]) -> list[dict[str, Any]]:
        return self.sessions(mentorship_ids)

    def active_mentorships(self) -> list[dict[str, Any]]:
        """Active pairs, each with its last completed session (if any)."""
        pairs = [m for m in fold(self.mentorships.find({}), "mentorship_id", MENTORSHIP_RANK)
                 if m["status"] == "active"]
        last: dict[str, dict] = {}
        for session in self.sessions(m["mentorship_id"] for m in pairs):
            done = session.get("completed_at") or session.get("scheduled_at")
            mine = last.get(session["mentorship_id"])
            if session["status"] == "completed" and (mine is None or done > mine["last_completed_at"]):
                last[session["mentorship_id"]] = {"last_completed_at": done,
                                                  "last_completed_session_id": session["session_id"]}
        return [{**m, "_id": m["mentorship_id"], **last.get(m["mentorship_id"], {})} for m in pairs]


def fold(facts: Iterable[Mapping[str, Any]], key: str, rank: Mapping[str, int]) -> list[dict[str, Any]]:
    """Merge each aggregate's status facts: known fields from all of them, the status of the furthest one."""
    merged: dict[str, dict[str, Any]] = {}
    for fact in sorted(facts, key=lambda f: rank[f["status"]]):
        current = merged.setdefault(fact[key], {})
        current.update({k: v for k, v in fact.items() if k != "_id" and v is not None and v != []})
    return list(merged.values())


def _insert_once(coll: Collection, doc: Mapping[str, Any]) -> None:
    try:
        coll.insert_one(dict(doc))
    except DuplicateKeyError:  # the same fact again: a redelivery or a replay
        pass


def _by_id(coll: Collection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """One `_id` lookup per id: the access path every store serves from its primary key."""
    found = {}
    for doc_id in sorted({i for i in ids if i}):
        doc = coll.find_one({"_id": doc_id})
        if doc is not None:
            found[doc_id] = doc
    return found
