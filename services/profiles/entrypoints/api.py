"""HTTP routes of people (and the blueprint the goal routes join): they parse, authorise and call a use case."""

from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from services.profiles.adapters.unit_of_work import ProfilesUnitOfWork
from services.profiles.domain import access
from services.profiles.entrypoints.etags import etag_of, versions_in
from services.profiles.entrypoints.schemas import (
    EMPLOYEE_ID,
    ImportResult,
    ImportRow,
    ProfileIn,
    ProfileOut,
    ProfilePage,
    ProfilePatch,
    ProfileQuery,
)
from services.profiles.use_cases import erasure, importing, people
from services.profiles.use_cases.ports import ProfileFilter
from shared.auth import Principal, current_principal, require
from shared.backfill import Backfill
from shared.bulk_import import ImportReport, parse_rows, valid_rows
from shared.errors import Invalid
from shared.web import store_of

blp = Blueprint("profiles", __name__, url_prefix="/v1", description="People and their development goals")


def unit_of_work() -> ProfilesUnitOfWork:
    """This request's unit of work: no transaction, each write stands on its own with its outbox."""
    return ProfilesUnitOfWork(store_of(current_app).db)


def _if_match() -> frozenset[int] | None:
    return versions_in(request.headers.get("If-Match"))


def backfill_of(principal: Principal, body: dict) -> Backfill | None:
    """The history a body backfills (its `occurred_at`, taken out of it): HR's only, else 403."""
    occurred_at = body.pop("occurred_at", None)
    if occurred_at is None:
        return None
    access.check_backfill(principal)
    return Backfill(occurred_at, principal.sub)


@blp.route("/profiles/<employee_id>", methods=["PUT"])
@require("hr_admin")
@blp.arguments(ProfileIn())
@blp.response(200, ProfileOut)
@blp.alt_response(201, schema=ProfileOut, description="Created")
def put_profile(body: dict, employee_id: str):
    """Create or replace a profile (HR). With `occurred_at`, an HR change effective then (a hire, promotion,
    move or leaver migrated from another system): stored and announced at that moment, and audited."""
    check_employee_id(employee_id)
    backfill = backfill_of(current_principal(), body)
    saved = people.put_profile(unit_of_work(), employee_id, body, _if_match(), backfill)
    return saved.profile, 201 if saved.outcome == "created" else 200, etag_of(saved.profile)


@blp.route("/profiles/<employee_id>", methods=["PATCH"])
@require()
@blp.arguments(ProfilePatch())
@blp.response(200, ProfileOut)
def patch_profile(changes: dict, employee_id: str):
    """Change the person's self-service fields."""
    profile = people.patch_profile(unit_of_work(), current_principal(), employee_id, changes, _if_match())
    return profile, 200, etag_of(profile)


@blp.route("/profiles/<employee_id>", methods=["GET"])
@require()
@blp.response(200, ProfileOut)
def get_profile(employee_id: str):
    profile = people.read_profile(unit_of_work(), current_principal(), employee_id)
    return profile, 200, etag_of(profile)


@blp.route("/profiles", methods=["GET"])
@require()
@blp.arguments(ProfileQuery(), location="query")
@blp.response(200, ProfilePage)
def list_profiles(query: dict):
    """List profiles; managers see their reports only."""
    which = ProfileFilter(department=query.get("department") or None, manager_id=query.get("manager_id") or None,
                          role=query.get("role") or None,
                          skill=query["skill"].strip().lower() if query.get("skill") else None)
    return people.list_profiles(unit_of_work(), current_principal(), which, limit=query["limit"],
                                cursor=query["cursor"])


@blp.route("/profiles/<employee_id>", methods=["DELETE"])
@require("hr_admin")
@blp.response(204)
def delete_profile(employee_id: str):
    """Erase a person: personal data goes, every service is told."""
    erasure.erase_person(unit_of_work(), employee_id)


@blp.route("/profiles:import", methods=["POST"])
@require("hr_admin")
@blp.response(200, ImportResult)
@blp.doc(requestBody={"content": {
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
    "application/x-ndjson": {"schema": {"type": "string"}}}})
def import_profiles():
    """Bulk upsert up to 10,000 profiles; bad rows are reported, good rows are kept. Of repeated rows for one
    person the last is applied and the earlier ones are reported as superseded; rows with `occurred_at` are
    the person's history: each moment is a version of them, applied in `occurred_at` order (audited)."""
    rows = parse_rows(request.get_data(cache=False), request.content_type or "", max_rows=importing.MAX_ROWS)
    report = ImportReport()
    valid = valid_rows(rows, ImportRow(), report, key=importing.row_key)
    return importing.import_profiles(unit_of_work(), valid, report, recorded_by=current_principal().sub).as_dict()


def check_employee_id(employee_id: str) -> None:
    """Path ids follow the same rule as import rows."""
    try:
        EMPLOYEE_ID(employee_id)
    except ValidationError as exc:
        raise Invalid("employee_id is not valid", {"employee_id": exc.messages}) from exc
