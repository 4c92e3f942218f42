"""What every matching route needs: the repositories of this process and the caller's id."""

from __future__ import annotations

from flask import current_app

from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from shared.web import store_of


def repos() -> MatchingUnitOfWork:
    return MatchingUnitOfWork(store_of(current_app).db)
