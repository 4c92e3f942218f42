"""Mentorships in Mongo: proposals, capacity slots, and a person's or a program's pairs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo import InsertOne, UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import BulkWriteError

from services.matching.adapters.aggregates import Aggregates
from services.matching.adapters.indexes import MENTORSHIPS
from services.matching.domain.lifecycle import OPEN_STATUSES, mentee_slot
from services.matching.use_cases.ports import Rewrite
from shared import outbox
from shared.events import Event
from shared.pagination import decode_cursor, encode_cursor


class MongoMentorships(Aggregates):
    key = "mentorship_id"

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, MENTORSHIPS, session)

    def insert_many(self, docs: Sequence[tuple[dict, Event]]) -> set[int]:
        """Insert many proposals at once; returns the positions that hit a unique key (raised in a transaction)."""
        ops = [InsertOne(outbox.stamp_new({"_id": doc[self.key], **doc}, [event])) for doc, event in docs]
        if not ops:
            return set()
        try:
            self._coll.bulk_write(ops, ordered=False, session=self._session)
        except BulkWriteError as exc:
            if self._session is not None:
                raise
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

    def rewrite_reasons(self, mentee_id: str, rewrite: Rewrite) -> None:
        """Erasure: the reasons of the mentee's pairs rewritten, in each pair and in its events not yet
        published (which then carry the rewritten reasons; the outbox revision moves, so a relay that
        read the old events clears by id and never writes them back)."""
        ops = []
        for doc in self._coll.find({"mentee_id": mentee_id}, {"reasons": 1, outbox.OUTBOX: 1}, session=self._session):
            changes: dict[str, Any] = {"reasons": rewrite(list(doc.get("reasons") or []))}
            update: dict[str, Any] = {"$set": changes}
            if doc.get(outbox.OUTBOX):
                changes[outbox.OUTBOX] = [_with_reasons(event, rewrite) for event in doc[outbox.OUTBOX]]
                update["$inc"] = {outbox.REV: 1}
            ops.append(UpdateOne({"_id": doc["_id"]}, update))
        if ops:
            self._coll.bulk_write(ops, ordered=False, session=self._session)


def _with_reasons(event: Mapping[str, Any], rewrite: Rewrite) -> dict[str, Any]:
    data = event.get("data") or {}
    return {**event, "data": {**data, "reasons": rewrite(list(data["reasons"]))}} if "reasons" in data else dict(event)
