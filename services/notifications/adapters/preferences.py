"""Each person's notification preferences, one document per employee (absent: the defaults)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.notifications.adapters.bulk import by_ids

PREFERENCES = "notifications_preferences"


class MongoPreferences:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._coll, self._session = db[PREFERENCES], session

    def of(self, employee_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {d["_id"]: d for d in by_ids(self._coll, employee_ids, self._session)}

    def digest_off(self) -> set[str]:
        return {d["_id"] for d in self._coll.find({"digest": "off"}, {"_id": 1}, session=self._session)}

    def save(self, employee_id: str, preferences: Mapping[str, Any]) -> None:
        self._coll.replace_one({"_id": employee_id}, {"_id": employee_id, **preferences}, upsert=True,
                               session=self._session)

    def erase(self, employee_id: str) -> None:
        self._coll.delete_one({"_id": employee_id}, session=self._session)
