"""Matching's unit of work: every repository of the service on one store session.

A route builds one per request (no session: each write stands on its own, its events in the same
document); the idempotent consumer builds one per batch inside a transaction, so the handlers' reads
and writes and the record of the processed events commit together (shared.unit_of_work). A
backfilled write runs in `atomically`: one transaction with its audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pymongo import MongoClient
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import BulkWriteError, DuplicateKeyError, PyMongoError

from services.matching.adapters.backfills import MongoBackfills
from services.matching.adapters.mentorships import MongoMentorships
from services.matching.adapters.people import MongoPeople
from services.matching.adapters.programs import MongoEnrollments, MongoPrograms
from services.matching.adapters.runs import MongoRuns
from services.matching.adapters.sessions import MongoFeedback, MongoSessions
from shared.errors import Conflict
from shared.unit_of_work import MongoUnitOfWork, is_transient, transaction

T = TypeVar("T")
ATTEMPTS = 5  # a transaction loses only to writers of the same documents; each rerun reads afresh


class MatchingUnitOfWork(MongoUnitOfWork):
    service = "matching"

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, session)
        self.people = MongoPeople(db, session)
        self.programs = MongoPrograms(db, session)
        self.enrollments = MongoEnrollments(db, session)
        self.mentorships = MongoMentorships(db, session)
        self.sessions = MongoSessions(db, session)
        self.feedback = MongoFeedback(db, session)
        self.runs = MongoRuns(db, session)
        self.backfills = MongoBackfills(db, session)

    def atomically(self, work: Callable[[MatchingUnitOfWork], T]) -> T:
        """`work` in one transaction (this unit of work's own, if it is in one), rerun from the start when
        a concurrent writer wins inside it: a taken key or a write conflict aborts the transaction."""
        if self.session is not None:
            return work(self)
        for _ in range(ATTEMPTS):
            try:
                with transaction(_Database(self.db), MatchingUnitOfWork) as tx:
                    done = work(tx)
                return done
            except PyMongoError as exc:
                if not (is_transient(exc) or lost_race(exc)):
                    raise
        raise Conflict("this history is being changed concurrently; retry")


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
