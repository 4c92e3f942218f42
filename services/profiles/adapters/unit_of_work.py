"""ProfilesUnitOfWork: the people and goals repositories and the backfill audit trail on one store session.

A backfilled write runs in `atomically` (shared.unit_of_work): one transaction with its audit entry."""

from __future__ import annotations

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.profiles.adapters.goals import MongoGoals
from services.profiles.adapters.indexes import BACKFILL_AUDIT
from services.profiles.adapters.people import MongoPeople
from shared.backfill_audit import MongoBackfillAudit
from shared.unit_of_work import MongoUnitOfWork


class ProfilesUnitOfWork(MongoUnitOfWork):
    """What a profile use case writes through; an HTTP request's has no session (each write stands alone)."""

    service = "profiles"

    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, session)
        self.people = MongoPeople(db, session)
        self.goals = MongoGoals(db, session)
        self.backfills = MongoBackfillAudit(db, BACKFILL_AUDIT, session)
