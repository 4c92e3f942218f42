"""Sessions and feedback of the pairs in Mongo; their free texts go on erasure, dates and ratings stay."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.matching.adapters.aggregates import Aggregates
from services.matching.adapters.indexes import FEEDBACK, SESSIONS


class MongoSessions(Aggregates):
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


class MongoFeedback(Aggregates):
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

    def forget_comments(self, mentorship_ids: Sequence[str]) -> None:
        """Erasure: the comments on a person's pairs go, whoever wrote them (a comment about the person
        names them as surely as one by them); ratings stay for the program's numbers."""
        if mentorship_ids:
            self._coll.update_many({"mentorship_id": {"$in": list(mentorship_ids)}}, {"$set": {"comment": None}},
                                   session=self._session)
