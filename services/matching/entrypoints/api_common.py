"""What every matching route needs: a unit of work on this process's store."""

from __future__ import annotations

from flask import current_app

from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from shared.web import store_of


def unit_of_work() -> MatchingUnitOfWork:
    """The repositories for one request: no transaction, each write stands on its own with its events."""
    return MatchingUnitOfWork(store_of(current_app).db)
