"""Programs, pairs, sessions and feedback as this service knows them from the bus.

Pairs and sessions are kept as insert-only status facts (`<id>:<status>`), folded when read: a replayed
or late event is a duplicate fact, and none can move a status back. Feedback keeps only that it
exists and when: ratings never enter this store, so no message can leak one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo import ReplaceOne
from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.notifications.adapters.bulk import by_ids, fold, insert_missing
from shared.timeutil import parse_rfc3339

PROGRAMS, MENTORSHIPS = "notifications_programs", "notifications_mentorships"
SESSIONS, FEEDBACK = "notifications_sessions", "notifications_feedback"
MENTORSHIP_RANK = {"proposed": 1, "active": 2, "declined": 2, "ended": 3}
SESSION_RANK = {"scheduled": 1, "completed": 2, "cancelled": 2}
PROGRAM_FIELDS = ("name", "starts_on", "ends_on", "checkin_every_days", "admin_id")


def moment(value: str | None) -> datetime | None:
    return parse_rfc3339(value) if value else None


class MongoPrograms:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._coll, self._session = db[PROGRAMS], session

    def by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in by_ids(self._coll, ids, self._session)}

    def record(self, programs: Sequence[Mapping[str, Any]]) -> None:
        latest = {p["program_id"]: p for p in programs}
        writes = [ReplaceOne({"_id": pid}, {"_id": pid, **{k: p.get(k) for k in PROGRAM_FIELDS}}, upsert=True)
                  for pid, p in latest.items()]
        if writes:
            self._coll.bulk_write(writes, ordered=False, session=self._session)


class MongoMentorships:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._coll, self._session = db[MENTORSHIPS], session

    def record(self, mentorships: Sequence[Mapping[str, Any]]) -> None:
        fields = ("mentorship_id", "program_id", "mentor_id", "mentee_id", "status", "reasons")
        insert_missing(self._coll, [{"_id": f"{m['mentorship_id']}:{m['status']}", **{k: m.get(k) for k in fields},
                                     "started_at": moment(m.get("started_at")), "ended_at": moment(m.get("ended_at"))}
                                    for m in mentorships], self._session)

    def by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return fold(by_ids(self._coll, ids, self._session, "mentorship_id"), "mentorship_id", MENTORSHIP_RANK)

    def active(self) -> list[dict[str, Any]]:
        """Pairs whose furthest status is `active` (read from their `active` facts, not the whole history)."""
        started = {d["mentorship_id"] for d in self._coll.find({"status": "active"}, {"mentorship_id": 1},
                                                                 session=self._session)}
        return [m for m in self.by_id(started).values() if m["status"] == "active"]

    def forget_reasons_of(self, employee_id: str) -> None:
        """Erasure: match reasons speak of the pair by first name."""
        for role in ("mentor_id", "mentee_id"):  # one predicate each: answered from its index everywhere
            self._coll.update_many({role: employee_id}, {"$set": {"reasons": []}}, session=self._session)


class MongoSessions:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._coll, self._session = db[SESSIONS], session

    def record(self, sessions: Sequence[Mapping[str, Any]]) -> None:
        fields = ("session_id", "mentorship_id", "program_id", "mentor_id", "mentee_id", "status", "duration_minutes")
        insert_missing(self._coll, [{"_id": f"{s['session_id']}:{s['status']}", **{k: s.get(k) for k in fields},
                                     "scheduled_at": moment(s["scheduled_at"]),
                                     "completed_at": moment(s.get("completed_at"))} for s in sessions], self._session)

    def by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return fold(by_ids(self._coll, ids, self._session, "session_id"), "session_id", SESSION_RANK)

    def starting(self, after: datetime, until: datetime) -> list[dict[str, Any]]:
        """Sessions still scheduled to start in (after, until]."""
        planned = self._coll.find({"scheduled_at": {"$gt": after, "$lte": until}}, {"session_id": 1},
                                  session=self._session)
        return [s for s in self.by_id({d["session_id"] for d in planned}).values() if s["status"] == "scheduled"]

    def of_mentorships(self, mentorship_ids: Iterable[str]) -> list[dict[str, Any]]:
        facts = by_ids(self._coll, mentorship_ids, self._session, "mentorship_id")
        return list(fold(facts, "session_id", SESSION_RANK).values())


class MongoFeedback:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._coll, self._session = db[FEEDBACK], session

    def record(self, feedback: Sequence[Mapping[str, Any]]) -> None:
        insert_missing(self._coll, [{"_id": f["feedback_id"], "mentorship_id": f["mentorship_id"],
                                     "submitted_at": moment(f.get("submitted_at"))} for f in feedback], self._session)
