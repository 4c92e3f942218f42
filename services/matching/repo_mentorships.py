"""Mongo adapter for mentorships, their sessions and feedback; events ride in the changed document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import InsertOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.matching.cas import compare_and_set
from services.matching.lifecycle import OPEN_STATUSES
from services.matching.repository import FEEDBACK, MENTORSHIPS, SESSIONS
from shared import outbox
from shared.events import Event
from shared.pagination import page

CHUNK = 5000


class _Aggregates:
    """Insert, read and compare-and-set update of one collection's documents."""

    key = ""

    def __init__(self, collection):
        self._coll = collection

    def insert(self, doc: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """False when a unique key (id, capacity slot, open pair) is already taken."""
        try:
            self._coll.insert_one(outbox.stamp_new({"_id": doc[self.key], **doc}, events))
        except DuplicateKeyError:
            return False
        return True

    def get(self, doc_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._coll.find_one({"_id": doc_id}))

    def update(self, current: Mapping[str, Any], changes: Mapping[str, Any], events: Sequence[Event],
               guard: str = "version") -> bool:
        """Apply `changes` only if `guard` still has its value in `current` (compare-and-set)."""
        return compare_and_set(self._coll, {"_id": current[self.key], guard: current[guard]},
                               outbox.append({"$set": dict(changes)}, events))

    def find(self, query: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [outbox.strip(d) for d in self._coll.find(dict(query), {outbox.OUTBOX: 0})]

    def page(self, query: Mapping[str, Any], *, limit: int, cursor: str | None, render=None) -> dict[str, Any]:
        return page(self._coll, query, limit=limit, cursor=cursor,
                    render=lambda d: (render or (lambda x: x))(outbox.strip(d)))


class MentorshipRepository(_Aggregates):
    key = "mentorship_id"

    def __init__(self, db: Database):
        super().__init__(db[MENTORSHIPS])

    def insert_many(self, docs: Sequence[tuple[dict, Event]]) -> set[int]:
        """Insert many proposals at once; returns the positions that hit a unique key."""
        ops = [InsertOne(outbox.stamp_new({"_id": doc[self.key], **doc}, [event])) for doc, event in docs]
        if not ops:
            return set()
        try:
            self._coll.bulk_write(ops, ordered=False)
        except BulkWriteError as exc:
            return {err["index"] for err in exc.details.get("writeErrors", [])}
        return set()

    def held_slots(self, mentor_ids: Iterable[str]) -> dict[str, set[str]]:
        """Each mentor's capacity slots taken by proposed or active mentorships, in any program."""
        held: dict[str, set[str]] = {}
        ids = list(dict.fromkeys(mentor_ids))
        for start in range(0, len(ids), CHUNK):
            query = {"mentor_id": {"$in": ids[start:start + CHUNK]}, "status": {"$in": list(OPEN_STATUSES)}}
            for doc in self._coll.find(query, {"mentor_id": 1, "mentor_slot": 1}):
                held.setdefault(doc["mentor_id"], set()).add(doc["mentor_slot"])
        return held

    def open_in_program(self, program_id: str) -> list[dict[str, Any]]:
        return self.find({"program_id": program_id, "status": {"$in": list(OPEN_STATUSES)}})

    def open_of(self, employee_id: str, program_id: str | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"$or": [{"mentor_id": employee_id}, {"mentee_id": employee_id}],
                                 "status": {"$in": list(OPEN_STATUSES)}}
        if program_id:
            query["program_id"] = program_id
        return self.find(query)

    def declined_pairs(self, program_id: str, mentee_id: str) -> set[str]:
        """Mentors who already declined this mentee in this program."""
        return {d["mentor_id"] for d in self._coll.find({"program_id": program_id, "mentee_id": mentee_id,
                                                         "status": "declined"}, {"mentor_id": 1})}


class SessionRepository(_Aggregates):
    key = "session_id"

    def __init__(self, db: Database):
        super().__init__(db[SESSIONS])

    def completed_times(self, mentorship_ids: Iterable[str]) -> dict[str, list[str]]:
        """When each mentorship's completed sessions took place."""
        times: dict[str, list[str]] = {}
        ids = list(mentorship_ids)
        for start in range(0, len(ids), CHUNK):
            query = {"mentorship_id": {"$in": ids[start:start + CHUNK]}, "status": "completed"}
            for doc in self._coll.find(query, {"mentorship_id": 1, "scheduled_at": 1}):
                times.setdefault(doc["mentorship_id"], []).append(doc["scheduled_at"])
        return times

    def forget_texts(self, mentorship_ids: Sequence[str]) -> None:
        """Erasure: agendas and notes of a person's sessions go; dates and statuses stay."""
        if mentorship_ids:
            self._coll.update_many({"mentorship_id": {"$in": list(mentorship_ids)}},
                                   {"$set": {"agenda": None, "notes": None}})


class FeedbackRepository(_Aggregates):
    key = "feedback_id"

    def __init__(self, db: Database):
        super().__init__(db[FEEDBACK])

    def ratings(self, mentorship_ids: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
        found: dict[str, list[tuple[int, str]]] = {}
        ids = list(mentorship_ids)
        for start in range(0, len(ids), CHUNK):
            query = {"mentorship_id": {"$in": ids[start:start + CHUNK]}}
            for doc in self._coll.find(query, {"mentorship_id": 1, "rating": 1, "submitted_at": 1}):
                found.setdefault(doc["mentorship_id"], []).append((doc["rating"], doc["submitted_at"]))
        return found

    def forget_comments_by(self, author_id: str) -> None:
        """Erasure: the person's free-text comments go; ratings stay for the program's numbers."""
        self._coll.update_many({"author_id": author_id}, {"$set": {"comment": None}})
