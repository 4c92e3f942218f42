"""Matching's unit of work: every repository of the service on one store session.

A route builds one per request (no session: each write stands on its own, its events in the same
document); the idempotent consumer builds one per batch inside a transaction, so the handlers' reads
and writes and the record of the processed events commit together (shared.unit_of_work). A
backfilled write runs in `atomically` (shared.unit_of_work): one transaction with its audit entry.
"""

from __future__ import annotations

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.matching.adapters.backfills import MongoBackfills
from services.matching.adapters.mentorships import MongoMentorships
from services.matching.adapters.people import MongoPeople
from services.matching.adapters.programs import MongoEnrollments, MongoPrograms
from services.matching.adapters.runs import MongoRuns
from services.matching.adapters.sessions import MongoFeedback, MongoSessions
from shared.unit_of_work import MongoUnitOfWork


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
