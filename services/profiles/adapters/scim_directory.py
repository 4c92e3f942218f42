"""The Directory port on `profiles_people` (who holds a userName, pages of provisioned people), and the unit
of work that carries it."""

from __future__ import annotations

from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.profiles.adapters.indexes import PEOPLE
from services.profiles.adapters.people import WITHOUT_OUTBOX
from services.profiles.adapters.scim_query import PROVISIONED, users_filter
from services.profiles.adapters.unit_of_work import ProfilesUnitOfWork
from services.profiles.domain.scim_search import Query
from shared import outbox


class MongoDirectory:
    """Provisioned people on one store session (None: every read stands on its own)."""

    def __init__(self, db: Database, session: ClientSession | None = None):
        self._people, self._session = db[PEOPLE], session

    def holder_of(self, user_name_key: str) -> str | None:
        found = self._people.find_one({PROVISIONED: user_name_key}, {"_id": 1}, session=self._session)
        return found["_id"] if found else None

    def search(self, query: Query | None, *, start: int, count: int) -> tuple[int, list[dict[str, Any]]]:
        where = users_filter(query)
        total = self._people.count_documents(where, session=self._session)
        if count == 0 or total < start:
            return total, []
        docs = self._people.find(where, WITHOUT_OUTBOX, session=self._session).sort("_id", 1).skip(start - 1)
        return total, [outbox.strip(doc) for doc in docs.limit(count)]


class ProvisioningUnitOfWork(ProfilesUnitOfWork):
    """ProfilesUnitOfWork and the Directory on its session: what the SCIM routes hand the provisioning use cases."""

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, session)
        self.directory = MongoDirectory(db, session)
