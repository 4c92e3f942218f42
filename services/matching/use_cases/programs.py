"""Programs: create one with its weights and hard constraints, read it, list them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.matching.domain.scoring import CRITERIA, DEFAULT_WEIGHTS, normalised_weights
from services.matching.use_cases import events
from services.matching.use_cases.ports import Page, UnitOfWork
from shared.errors import Invalid, NotFound
from shared.timeutil import now_rfc3339

DEFAULT_CONSTRAINTS = {"exclude_reporting_line": True, "max_grade_gap": None, "require_shared_language": False}


def create_program(uow: UnitOfWork, body: Mapping[str, Any], admin_id: str) -> dict[str, Any]:
    """A new program with its effective weights and constraints; announces `program.created`."""
    if body["ends_on"] < body["starts_on"]:
        raise Invalid("a program ends on or after its start", {"ends_on": ["is before starts_on"]})
    weights = {c: float((body.get("weights") or {}).get(c, DEFAULT_WEIGHTS[c])) for c in CRITERIA}
    try:
        normalised_weights(weights)
    except ValueError as exc:
        raise Invalid(str(exc), {"weights": [str(exc)]}) from exc
    program = {"program_id": str(uuid.uuid4()), "name": body["name"], "starts_on": body["starts_on"].isoformat(),
               "ends_on": body["ends_on"].isoformat(), "checkin_every_days": body["checkin_every_days"],
               "weights": weights, "constraints": {**DEFAULT_CONSTRAINTS, **(body.get("constraints") or {})},
               "admin_id": admin_id, "version": 1, "created_at": now_rfc3339()}
    uow.programs.insert(program, [events.program_created(program)])
    return program


def get_program(uow: UnitOfWork, program_id: str) -> dict[str, Any]:
    program = uow.programs.get(program_id)
    if program is None:
        raise NotFound(f"no program {program_id}")
    return program


def list_programs(uow: UnitOfWork, name: str | None, *, limit: int, cursor: str | None) -> Page:
    return uow.programs.page(name, limit=limit, cursor=cursor)
