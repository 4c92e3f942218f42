"""What every matching route needs: the repositories of this process and the caller's id."""

from __future__ import annotations

from flask import current_app

from services.matching.repos import Repositories
from shared.web import store_of


def repos() -> Repositories:
    return Repositories(store_of(current_app).db)
