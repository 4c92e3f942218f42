"""The backfill audit trail in Mongo (`matching_backfill_audit`): shared.backfill_audit on this service's
collection, one entry per backfilled write, written in the same transaction as the change it audits."""

from __future__ import annotations

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.matching.adapters.indexes import BACKFILL_AUDIT
from shared.backfill_audit import MongoBackfillAudit


class MongoBackfills(MongoBackfillAudit):
    def __init__(self, db: Database, session: ClientSession | None = None):
        super().__init__(db, BACKFILL_AUDIT, session)
