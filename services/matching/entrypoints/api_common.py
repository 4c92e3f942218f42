"""What every matching route needs: a unit of work on this process's store, and ids in paths checked."""

from __future__ import annotations

from flask import current_app, request
from marshmallow import ValidationError

from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.entrypoints.schemas import ResourceId
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
