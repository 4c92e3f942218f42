"""Mongo adapter of the built reports: one document per program, replaced by each rebuild."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

REPORTS = "analytics_reports"


class MongoReports:
    """`analytics_reports`: what the API and the dashboard serve, and what the gauges show."""

    def __init__(self, db: Database, session: ClientSession | None = None):
        self._coll, self._session = db[REPORTS], session

    def save(self, program_id: str, report: Mapping[str, Any], started: str) -> bool:
        """Store a built report unless one built from a later start is already there."""
        try:
            self._coll.update_one({"_id": program_id, "started": {"$lt": started}},
                                  {"$set": {**report, "started": started}}, upsert=True, session=self._session)
            return True
        except DuplicateKeyError:
            return False

    def get(self, program_id: str) -> dict[str, Any] | None:
        return self._coll.find_one({"_id": program_id}, session=self._session)

    def showing(self, departments: Iterable[str]) -> set[str]:
        """Programs whose outcomes compare their participants with one of these departments."""
        found = self._coll.find({"outcomes.departments": {"$in": sorted(departments)}}, {"_id": 1},
                                session=self._session)
        return {d["_id"] for d in found}

    def ending_since(self, day: str, fields: Iterable[str]) -> list[dict[str, Any]]:
        """Reports of programs that end on `day` or later, or whose dates are not known yet."""
        projection = {name: 1 for name in fields}  # two indexed queries: not every store unites an $or's indexes
        return [doc for ends in ({"$gte": day}, None)
                for doc in self._coll.find({"program.ends_on": ends}, projection, session=self._session)]
