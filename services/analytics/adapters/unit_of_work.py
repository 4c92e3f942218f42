"""AnalyticsUnitOfWork: the fact and report stores on one store session, for one batch or one request."""

from __future__ import annotations

from collections.abc import Callable

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.analytics.adapters.facts import MongoFacts
from services.analytics.adapters.reports import MongoReports
from shared.unit_of_work import MongoUnitOfWork


class AnalyticsUnitOfWork(MongoUnitOfWork):
    """The consumer builds one per batch inside its transaction (with the worker's pseudonyms and the
    changes the report loop waits for); a request or the report loop builds one without a session.
    The batch's facts are buffered and written in bulk by `flush`, before the commit."""

    service = "analytics"

    def __init__(self, db: Database, session: ClientSession | None = None, *,
                 pseudonymise: Callable[[str], str] | None = None, changes=None):
        super().__init__(db, session)
        self.facts = MongoFacts(db, session)
        self.reports = MongoReports(db, session)
        self.pseudonymise, self.changes = pseudonymise, changes

    def flush(self) -> None:
        self.facts.flush()
