"""Mongo adapter for mentorships, their sessions and feedback; events ride in the changed document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import InsertOne
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.matching.adapters.indexes import FEEDBACK, MENTORSHIPS, SESSIONS
from services.matching.domain.lifecycle import OPEN_STATUSES, mentee_slot
from shared import outbox
from shared.events import Event
from shared.pagination import decode_cursor, encode_cursor, page

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
        """Apply `changes` only if `guard` still has its value in `current`; False when a concurrent writer
        changed it first (an atomic conditional update)."""
        condition = {"_id": current[self.key], guard: current[guard]}
        return self._coll.update_one(condition, outbox.append({"$set": dict(changes)}, events)).matched_count == 1

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
        for status in OPEN_STATUSES:  # one status per query: the ids' `$in` is then the index's last key
            for start in range(0, len(ids), CHUNK):
                query = {"status": status, "mentor_id": {"$in": ids[start:start + CHUNK]}}
                for doc in self._coll.find(query, {"mentor_id": 1, "mentor_slot": 1}):
                    held.setdefault(doc["mentor_id"], set()).add(doc["mentor_slot"])
        return held

    def open_in_program(self, program_id: str) -> list[dict[str, Any]]:
        return self.find({"program_id": program_id, "status": {"$in": list(OPEN_STATUSES)}})

    def active_in_program(self, program_id: str) -> list[dict[str, Any]]:
        return self.find({"program_id": program_id, "status": "active"})

    def existing(self, mentorship_ids: Sequence[str]) -> set[str]:
        """Which of these mentorships are stored."""
        return {d["_id"] for start in range(0, len(mentorship_ids), CHUNK)
                for d in self._coll.find({"_id": {"$in": list(mentorship_ids[start:start + CHUNK])}}, {"_id": 1})}

    def page_of_person(self, employee_id: str, query: Mapping[str, Any], *, limit: int,
                       cursor: str | None) -> dict[str, Any]:
        """A person's mentorships (as mentor or mentee) matching `query`, paged by id; a person has few."""
        after = decode_cursor(cursor) if cursor else None
        found = sorted((m for m in self.of_person(employee_id, query) if after is None or m["mentorship_id"] > after),
                       key=lambda m: m["mentorship_id"])
        items = found[:limit]
        more = len(found) > limit
        return {"items": items, "next_cursor": encode_cursor(items[-1]["mentorship_id"]) if more else None}

    def open_of(self, employee_id: str, program_id: str | None = None) -> list[dict[str, Any]]:
        """The person's proposed and active mentorships, as mentor or mentee (in one program, if given)."""
        found = self.of_person(employee_id, {"status": {"$in": list(OPEN_STATUSES)}})
        return [m for m in found if program_id is None or m["program_id"] == program_id]

    def of_person(self, employee_id: str, query: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """Mentorships with the person as mentor or as mentee: two indexed queries rather than an `$or`."""
        return [*self.find({"mentor_id": employee_id, **(query or {})}),
                *self.find({"mentee_id": employee_id, **(query or {})})]

    def open_of_mentee(self, program_id: str, mentee_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The open mentorships of these mentees in the program, found by their unique mentee slot."""
        slots = [mentee_slot(program_id, m) for m in dict.fromkeys(mentee_ids)]
        return [m for start in range(0, len(slots), CHUNK)
                for m in self.find({"mentee_slot": {"$in": slots[start:start + CHUNK]}})]

    def declined_mentors(self, program_id: str, mentee_ids: Sequence[str] | None = None) -> dict[str, list[str]]:
        """Mentee -> the mentors of their declined pairs in the program (of the given mentees, or all)."""
        query: dict[str, Any] = {"program_id": program_id, "status": "declined"}
        chunks = [None] if mentee_ids is None else [list(mentee_ids)[s:s + CHUNK]
                                                    for s in range(0, len(mentee_ids), CHUNK)]
        found: dict[str, list[str]] = {}
        for chunk in chunks:
            for doc in self._coll.find(query if chunk is None else {**query, "mentee_id": {"$in": chunk}},
                                       {"mentor_id": 1, "mentee_id": 1}):
                found.setdefault(doc["mentee_id"], []).append(doc["mentor_id"])
        return found


class SessionRepository(_Aggregates):
    key = "session_id"

    def __init__(self, db: Database):
        super().__init__(db[SESSIONS])

    def completed_times(self, mentorship_ids: Iterable[str]) -> dict[str, list[str]]:
        """When each mentorship's completed sessions took place."""
        times: dict[str, list[str]] = {}
        ids = list(mentorship_ids)
        for start in range(0, len(ids), CHUNK):
            query = {"status": "completed", "mentorship_id": {"$in": ids[start:start + CHUNK]}}
            for doc in self._coll.find(query, {"mentorship_id": 1, "scheduled_at": 1}):
                times.setdefault(doc["mentorship_id"], []).append(doc["scheduled_at"])
        return times

    def scheduled_of(self, mentorship_id: str) -> list[dict[str, Any]]:
        return self.find({"mentorship_id": mentorship_id, "status": "scheduled"})

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

    def forget_comments_by(self, author_id: str, mentorship_ids: Sequence[str]) -> None:
        """Erasure: the person's free-text comments go; ratings stay for the program's numbers."""
        if mentorship_ids:  # the author's feedback is on their own mentorships: found through its index
            self._coll.update_many({"mentorship_id": {"$in": list(mentorship_ids)}, "author_id": author_id},
                                   {"$set": {"comment": None}})
