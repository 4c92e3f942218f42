"""The Directory port on `profiles_people` (who holds a userName, pages of provisioned people), and the unit
of work that carries it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.profiles.adapters.indexes import PEOPLE
from services.profiles.adapters.people import WITHOUT_OUTBOX, MongoPeople
from services.profiles.adapters.scim_query import PROVISIONED, users_filter
from services.profiles.adapters.unit_of_work import ProfilesUnitOfWork
from services.profiles.domain.scim_errors import Uniqueness
from services.profiles.domain.scim_search import Query
from shared import outbox
from shared.events import Event

TAKEN = "the userName was taken by another User meanwhile"


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


class ProvisionedPeople(MongoPeople):
    """The People port for SCIM writes: when another writer takes a userName between the use case's check
    and this write, the unique index refuses it, and that is a 409 uniqueness, not a retry or a 500."""

    def insert(self, profile: Mapping[str, Any], events: Sequence[Event]) -> bool:
        if super().insert(profile, events):
            return True
        if self.get(profile["employee_id"]) is None:  # no one has the id: the userName index refused it
            raise Uniqueness(TAKEN)
        return False

    def update(self, employee_id: str, version: int, profile: Mapping[str, Any], events: Sequence[Event],
               unset: Iterable[str] = ()) -> bool:
        try:
            return super().update(employee_id, version, profile, events, unset)
        except DuplicateKeyError as exc:
            raise Uniqueness(TAKEN) from exc


class ProvisioningUnitOfWork(ProfilesUnitOfWork):
    """ProfilesUnitOfWork and the Directory on its session: what the SCIM routes hand the provisioning use cases."""

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, session)
        self.people = ProvisionedPeople(db, session)
        self.directory = MongoDirectory(db, session)
