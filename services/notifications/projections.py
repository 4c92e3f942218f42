"""This service's own copy of what the bus told it: people, programs, mentorships, sessions, goals.

Every write is idempotent and order-tolerant: versions or status ranks make a stale redelivery a
no-op. Each document is written from one topic and key only (one partition, so one consumer at a
time), which makes read-compare-write safe even on stores that do not isolate concurrent updates;
hot paths touch documents by `_id` only, the one lookup every MongoDB-compatible store indexes.
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
CHECKINS, FEEDBACK = "notifications_checkins", "notifications_feedback"

PERSON_FIELDS = ("name", "email", "timezone", "manager_id", "employment_status", "version")
MENTORSHIP_RANK = {"proposed": 1, "active": 2, "declined": 2, "ended": 3}
SESSION_RANK = {"scheduled": 1, "completed": 2, "cancelled": 2}


def moment(value: str | None) -> datetime | None:
    return parse_rfc3339(value) if value else None


def _known(fields: dict[str, Any]) -> dict[str, Any]:
    """Later events may omit what earlier ones said (a start time, the reasons): keep what we know."""
    return {k: v for k, v in fields.items() if v is not None and v != []}


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
        self.mentorships, self.sessions, self.goals = db[MENTORSHIPS], db[SESSIONS], db[GOALS]
        self.checkins, self.feedback = db[CHECKINS], db[FEEDBACK]

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
        fields = {k: data.get(k) for k in ("program_id", "mentor_id", "mentee_id", "status", "reasons")}
        fields |= {"mentorship_id": data["mentorship_id"], "started_at": moment(data.get("started_at")),
                   "ended_at": moment(data.get("ended_at"))}
        write_if_newer(self.mentorships, data["mentorship_id"], "status_rank", MENTORSHIP_RANK[data["status"]],
                       _known(fields))

    def record_session(self, data: Mapping[str, Any]) -> None:
        fields = {k: data.get(k) for k in ("mentorship_id", "program_id", "mentor_id", "mentee_id", "status",
                                           "duration_minutes")}
        fields |= {"session_id": data["session_id"], "scheduled_at": moment(data["scheduled_at"]),
                   "completed_at": moment(data.get("completed_at"))}
        write_if_newer(self.sessions, data["session_id"], "status_rank", SESSION_RANK[data["status"]],
                       _known(fields))
        if data["status"] == "completed":  # the pair's cadence restarts at their latest completed session
            write_if_newer(self.checkins, data["mentorship_id"], "last_completed_at",
                           fields["completed_at"] or fields["scheduled_at"],
                           {"last_completed_session_id": data["session_id"]})

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

    def sessions_starting(self, after: datetime, until: datetime) -> list[dict[str, Any]]:
        return list(self.sessions.find({"status": "scheduled", "scheduled_at": {"$gt": after, "$lte": until}}))

    def sessions_of(self, mentorship_ids: Iterable[str]) -> list[dict[str, Any]]:
        return list(self.sessions.find({"mentorship_id": {"$in": sorted(set(mentorship_ids))}}))

    def active_mentorships(self) -> list[dict[str, Any]]:
        """Active pairs, each with its last completed session (if any) merged in."""
        pairs = list(self.mentorships.find({"status": "active"}))
        checkins = _by_id(self.checkins, (m["_id"] for m in pairs))
        return [{**m, **{k: v for k, v in checkins.get(m["_id"], {}).items() if k != "_id"}} for m in pairs]


def _by_id(coll: Collection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """One `_id` lookup per id: the access path every store serves from its primary key."""
    found = {}
    for doc_id in sorted({i for i in ids if i}):
        doc = coll.find_one({"_id": doc_id})
        if doc is not None:
            found[doc_id] = doc
    return found
