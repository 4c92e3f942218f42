"""Mentorships, their sessions and feedback in Mongo; events ride in the changed document (shared.outbox)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import InsertOne
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError

from services.matching.adapters.indexes import FEEDBACK, MENTORSHIPS, SESSIONS
from services.matching.domain.lifecycle import OPEN_STATUSES, mentee_slot
from shared import outbox
from shared.events import Event
from shared.pagination import decode_cursor, encode_cursor, page

CHUNK = 5000  # ids per $in query


class _Aggregates:
    """Insert, read and guarded update of one collection's documents, in the unit of work's session."""

    key = ""
    guard = "version"  # the field whose read value a write must still find

    def __init__(self, db: Database, collection: str, session: ClientSession | None):
        self._coll, self._session = db[collection], session

    def insert(self, doc: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """False when a unique key (id, capacity slot, open pair) is already taken."""
        try:
            self._coll.insert_one(outbox.stamp_new({"_id": doc[self.key], **doc}, events), session=self._session)
        except DuplicateKeyError:
            return False
        return True

    def get(self, doc_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._coll.find_one({"_id": doc_id}, session=self._session))

    def update(self, current: Mapping[str, Any], changes: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """Apply `changes` only if the guard field still has its value in `current`; False when a concurrent
        writer changed it first (an atomic conditional update)."""
        condition = {"_id": current[self.key], self.guard: current[self.guard]}
        update = outbox.append({"$set": dict(changes)}, events)
        return self._coll.update_one(condition, update, session=self._session).matched_count == 1

    def _find(self, query: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [outbox.strip(d) for d in self._coll.find(dict(query), {outbox.OUTBOX: 0}, session=self._session)]

    def _find_in(self, field: str, ids: Iterable[str], query: Mapping[str, Any] | None = None,
                 projection: Mapping[str, int] | None = None) -> Iterable[dict[str, Any]]:
        """Documents whose `field` is one of `ids` (in chunks), `query` matched too; `$in` placed last."""
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), CHUNK):
            filt = {**(query or {}), field: {"$in": wanted[start:start + CHUNK]}}
            yield from self._coll.find(filt, projection or {outbox.OUTBOX: 0}, session=self._session)

    def _page(self, query: Mapping[str, Any], limit: int, cursor: str | None) -> dict[str, Any]:
        return page(self._coll, query, limit=limit, cursor=cursor, render=outbox.strip, session=self._session)


class MongoMentorships(_Aggregates):
    key = "mentorship_id"

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, MENTORSHIPS, session)

    def insert_many(self, docs: Sequence[tuple[dict, Event]]) -> set[int]:
        """Insert many proposals at once; returns the positions that hit a unique key."""
        ops = [InsertOne(outbox.stamp_new({"_id": doc[self.key], **doc}, [event])) for doc, event in docs]
        if not ops:
            return set()
        try:
            self._coll.bulk_write(ops, ordered=False, session=self._session)
        except BulkWriteError as exc:
            return {err["index"] for err in exc.details.get("writeErrors", [])}
        return set()

    def existing(self, mentorship_ids: Sequence[str]) -> set[str]:
        """Which of these mentorships are stored."""
        return {d["_id"] for d in self._find_in("_id", mentorship_ids, projection={"_id": 1})}

    def held_slots(self, mentor_ids: Iterable[str]) -> dict[str, set[str]]:
        """Each mentor's capacity slots taken by proposed or active mentorships, in any program."""
        held: dict[str, set[str]] = {}
        ids = list(mentor_ids)
        for status in OPEN_STATUSES:  # one status per query: the ids' `$in` is then the index's last key
            for doc in self._find_in("mentor_id", ids, {"status": status}, {"mentor_id": 1, "mentor_slot": 1}):
                held.setdefault(doc["mentor_id"], set()).add(doc["mentor_slot"])
        return held

    def open_in_program(self, program_id: str) -> list[dict[str, Any]]:
        return self._find({"program_id": program_id, "status": {"$in": list(OPEN_STATUSES)}})

    def active_in_program(self, program_id: str) -> list[dict[str, Any]]:
        return self._find({"program_id": program_id, "status": "active"})

    def open_of(self, employee_id: str, program_id: str | None = None) -> list[dict[str, Any]]:
        """The person's proposed and active mentorships, as mentor or mentee (in one program, if given)."""
        found = self._of_person(employee_id, {"status": {"$in": list(OPEN_STATUSES)}})
        return [m for m in found if program_id is None or m["program_id"] == program_id]

    def of_person(self, employee_id: str) -> list[dict[str, Any]]:
        """Every mentorship the person is or was part of."""
        return self._of_person(employee_id, {})

    def _of_person(self, employee_id: str, query: Mapping[str, Any]) -> list[dict[str, Any]]:
        # two indexed queries rather than an `$or`, which SecantusDB answers with a collection scan
        return [*self._find({"mentor_id": employee_id, **query}), *self._find({"mentee_id": employee_id, **query})]

    def open_of_mentees(self, program_id: str, mentee_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The open mentorships of these mentees in the program, found by their unique mentee slot."""
        return [outbox.strip(d) for d in self._find_in("mentee_slot", [mentee_slot(program_id, m) for m in mentee_ids])]

    def declined_mentors(self, program_id: str, mentee_ids: Sequence[str]) -> dict[str, list[str]]:
        """Mentee -> the mentors of their declined pairs in the program."""
        found: dict[str, list[str]] = {}
        query = {"program_id": program_id, "status": "declined"}
        for doc in self._find_in("mentee_id", mentee_ids, query, {"mentor_id": 1, "mentee_id": 1}):
            found.setdefault(doc["mentee_id"], []).append(doc["mentor_id"])
        return found

    def page(self, *, program_id: str | None, status: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
        query = {k: v for k, v in (("program_id", program_id), ("status", status)) if v}
        return self._page(query, limit, cursor)

    def page_of_person(self, employee_id: str, *, program_id: str | None, status: str | None, limit: int,
                       cursor: str | None) -> dict[str, Any]:
        """A person's mentorships (as mentor or mentee), paged by id in memory: a person has few."""
        after = decode_cursor(cursor) if cursor else None
        found = sorted((m for m in self.of_person(employee_id)
                        if (after is None or m["mentorship_id"] > after) and program_id in (None, m["program_id"])
                        and status in (None, m["status"])), key=lambda m: m["mentorship_id"])
        items = found[:limit]
        return {"items": items, "next_cursor": encode_cursor(items[-1]["mentorship_id"]) if len(found) > limit
                else None}


class MongoSessions(_Aggregates):
    key, guard = "session_id", "status"  # a session leaves `scheduled` once

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, SESSIONS, session)

    def scheduled_of(self, mentorship_id: str) -> list[dict[str, Any]]:
        return self._find({"mentorship_id": mentorship_id, "status": "scheduled"})

    def page(self, mentorship_id: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return self._page({"mentorship_id": mentorship_id}, limit, cursor)

    def completed_times(self, mentorship_ids: Iterable[str]) -> dict[str, list[str]]:
        """When each mentorship's completed sessions took place."""
        times: dict[str, list[str]] = {}
        found = self._find_in("mentorship_id", mentorship_ids, {"status": "completed"},
                              {"mentorship_id": 1, "scheduled_at": 1})
        for doc in found:
            times.setdefault(doc["mentorship_id"], []).append(doc["scheduled_at"])
        return times

    def forget_texts(self, mentorship_ids: Sequence[str]) -> None:
        """Erasure: agendas and notes of a person's sessions go; dates and statuses stay."""
        if mentorship_ids:
            self._coll.update_many({"mentorship_id": {"$in": list(mentorship_ids)}},
                                   {"$set": {"agenda": None, "notes": None}}, session=self._session)


class MongoFeedback(_Aggregates):
    key = "feedback_id"

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, FEEDBACK, session)

    def page(self, mentorship_id: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return self._page({"mentorship_id": mentorship_id}, limit, cursor)

    def ratings(self, mentorship_ids: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
        found: dict[str, list[tuple[int, str]]] = {}
        for doc in self._find_in("mentorship_id", mentorship_ids, None,
                                 {"mentorship_id": 1, "rating": 1, "submitted_at": 1}):
            found.setdefault(doc["mentorship_id"], []).append((doc["rating"], doc["submitted_at"]))
        return found

    def forget_comments_by(self, author_id: str, mentorship_ids: Sequence[str]) -> None:
        """Erasure: the person's free-text comments go; ratings stay for the program's numbers."""
        if mentorship_ids:  # the author's feedback is on their own mentorships: found through that index
            self._coll.update_many({"mentorship_id": {"$in": list(mentorship_ids)}, "author_id": author_id},
                                   {"$set": {"comment": None}}, session=self._session)
