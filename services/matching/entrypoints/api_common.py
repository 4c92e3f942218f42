"""What every matching route needs: a unit of work on this process's store, ids in paths checked, and
the history a body backfills."""

from __future__ import annotations

from flask import current_app, request
from marshmallow import ValidationError

from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.domain import access
from services.matching.entrypoints.schemas import ResourceId
from shared.auth import Principal
from shared.backfill import Backfill
from shared.errors import Invalid
from shared.schemas import EmployeeId
from shared.web import store_of

PATH_IDS = {"employee_id": EmployeeId()}  # every other path parameter is a program, pair, session or run id
RESOURCE_ID = ResourceId()


def unit_of_work() -> MatchingUnitOfWork:
    """The repositories for one request: no transaction, each write stands on its own with its events."""
    return MatchingUnitOfWork(store_of(current_app).db)


def check_path_ids() -> None:
    """An id in a path matches as a whole value: `a%0A` is a 422, never looked up, echoed or logged."""
    errors = {}
    for name, value in (request.view_args or {}).items():
        try:
            PATH_IDS.get(name, RESOURCE_ID).deserialize(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise Invalid("the path names an id that cannot exist", errors)


def backfill_of(principal: Principal, body: dict) -> Backfill | None:
    """The history a body backfills (its `occurred_at`, taken out of it): a program admin's only, else 403.
    `author_id` is part of a backfill too, so it is the admin's alone as well."""
    occurred_at = body.pop("occurred_at", None)
    if occurred_at is None and body.get("author_id") is None:
        return None
    access.check_backfill(principal)
    return None if occurred_at is None else Backfill(occurred_at, principal.sub)
