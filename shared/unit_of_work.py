"""A unit of work: the repositories of one use case or one consumed batch, bound to one store session.

Each service has one `UnitOfWork` class (in its adapters) that adds its repositories to this base.
Outside a transaction (`session` None, e.g. an HTTP request) every write stands on its own, as
single-document writes with their outbox do. Inside `transaction()` everything the handlers wrote,
and the record that their events were processed, commits at once or not at all; `atomically(work)`
runs one use case's writes that way (a backfilled write and its audit entry), again when it loses a race.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, Self, TypeVar

from pymongo import ASCENDING, MongoClient
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, PyMongoError

from shared.errors import Conflict
from shared.mongo import IndexSpec, Store
from shared.timeutil import utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

# Long enough for any replay of a topic's retained history (Kafka keeps 7 days); older events are
# covered by each projection's version and status guards.
PROCESSED_RETENTION = timedelta(days=30)
ATTEMPTS = 5  # an `atomically` transaction loses only to writers of the same documents; each rerun reads afresh
TRANSIENT = "TransientTransactionError"
UNKNOWN_COMMIT = "UnknownTransactionCommitResult"


class Tracking(Protocol):
    """The processed-event log of one consumer group, written in the same transaction as the handlers."""

    def seen(self, group: str, event_ids: Iterable[str]) -> set[str]: ...

    def record(self, group: str, event_ids: Iterable[str]) -> None: ...


class UnitOfWork(Protocol):
    processed: Tracking

    def flush(self) -> None:
        """Write what the handlers buffered, before the commit."""

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the writes are durable (e.g. wake a dispatcher)."""


class ProcessedEvents:
    """`<service>_processed_events`: one small document per (group, event), expiring after the retention."""

    def __init__(self, db: Database, service: str, session: ClientSession | None = None):
        self._coll, self._session = db[collection_name(service)], session

    def seen(self, group: str, event_ids: Iterable[str]) -> set[str]:
        ids = [f"{group}:{i}" for i in event_ids]
        found = self._coll.find({"_id": {"$in": ids}}, {"_id": 1}, session=self._session)
        return {doc["_id"].split(":", 1)[1] for doc in found}

    def record(self, group: str, event_ids: Iterable[str]) -> None:
        now = utcnow()
        docs = [{"_id": f"{group}:{i}", "at": now} for i in dict.fromkeys(event_ids)]
        if docs:
            self._coll.insert_many(docs, ordered=False, session=self._session)


def collection_name(service: str) -> str:
    return f"{service}_processed_events"


def tracking_indexes(service: str) -> list[IndexSpec]:
    return [IndexSpec(collection_name(service), [("at", ASCENDING)],
                      {"expireAfterSeconds": int(PROCESSED_RETENTION.total_seconds())})]


class MongoUnitOfWork:
    """Base of every service's unit of work: the database, the session, tracking and after-commit actions."""

    service = "tandem"

    def __init__(self, db: Database, session: ClientSession | None = None):
        self.db, self.session = db, session
        self.processed = ProcessedEvents(db, self.service, session)
        self._after_commit: list[Callable[[], None]] = []

    def flush(self) -> None:
        """Nothing buffered by default; a service whose handlers batch their writes overrides it."""

    def after_commit(self, action: Callable[[], None]) -> None:
        if self.session is None:
            action()  # every write has already stood on its own
        else:
            self._after_commit.append(action)

    def committed(self) -> None:
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()

    def atomically(self, work: Callable[[Self], T]) -> T:
        """`work` in one transaction (this unit of work's own, if it is in one), on a unit of work of this
        class, rerun from the start when a concurrent writer wins inside it: a taken key or a write
        conflict aborts the transaction, and so does `LostRace` when `work` finds it lost one."""
        if self.session is not None:
            return work(self)
        for _ in range(ATTEMPTS):
            try:
                with transaction(_Database(self.db), type(self)) as tx:
                    done = work(tx)
                return done
            except (PyMongoError, LostRace) as exc:
                if not (isinstance(exc, LostRace) or is_transient(exc) or lost_race(exc)):
                    raise
        raise Conflict("this history is being changed concurrently; retry")


U = TypeVar("U", bound=MongoUnitOfWork)


class LostRace(Exception):
    """Raised by `atomically`'s work when a write inside it found another writer first: run it again."""


def lost_race(exc: PyMongoError) -> bool:
    """A unique key a concurrent writer took first (alone, or in a bulk write)."""
    if isinstance(exc, DuplicateKeyError):
        return True
    return isinstance(exc, BulkWriteError) and any(e.get("code") == 11000 for e in exc.details.get("writeErrors", []))


@dataclass(frozen=True)
class _Database:
    """The store a transaction needs (its client and database), for a unit of work that holds the database."""

    db: Database

    @property
    def client(self) -> MongoClient:
        return self.db.client


@contextlib.contextmanager
def transaction(store: Store, make: Callable[[Database, ClientSession], U]) -> Iterator[U]:
    """A unit of work inside one multi-document transaction, committed when the block ends without error."""
    with store.client.start_session() as session:
        session.start_transaction()
        uow = make(store.db, session)
        try:
            yield uow
            uow.flush()
            _commit(session)
        except BaseException:
            if session.in_transaction:
                with contextlib.suppress(PyMongoError):
                    session.abort_transaction()
            raise
    uow.committed()


def _commit(session: ClientSession, attempts: int = 5) -> None:
    for attempt in range(1, attempts + 1):
        try:
            session.commit_transaction()
            return
        except OperationFailure as exc:
            if not exc.has_error_label(UNKNOWN_COMMIT) or attempt == attempts:
                raise
            time.sleep(0.05 * attempt)


def is_transient(exc: BaseException) -> bool:
    """A conflict with a concurrent transaction: the whole unit of work may simply run again."""
    return isinstance(exc, PyMongoError) and exc.has_error_label(TRANSIENT)


__all__: Sequence[str] = ["LostRace", "MongoUnitOfWork", "ProcessedEvents", "Tracking", "UnitOfWork", "is_transient",
                          "lost_race", "tracking_indexes", "transaction"]
