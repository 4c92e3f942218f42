"""HTTP routes for programs, enrollments, suggestions, at-risk and matching runs."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from services.matching.domain import access
from services.matching.entrypoints.api_common import backfill_of, check_path_ids, unit_of_work
from services.matching.entrypoints.schemas import (
    AtRiskPage,
    AtRiskQuery,
    EnrollmentIn,
    EnrollmentOut,
    EnrollmentPage,
    EnrollmentQuery,
    ImportResult,
    ProgramIn,
    ProgramOut,
    ProgramPage,
    ProgramQuery,
    RunAccepted,
    RunOut,
    SuggestionOut,
    SuggestionQuery,
)
from services.matching.entrypoints.schemas_backfill import BackfillIn
from services.matching.use_cases import enrollment_import, enrollments, programs, runs
from services.matching.use_cases.at_risk import at_risk_pairs
from services.matching.use_cases.suggestions import suggestions as ranked_mentors
from shared.auth import current_principal, require
from shared.bulk_import import ImportReport, parse_rows, valid_rows
from shared.timeutil import utcnow

blp = Blueprint("programs", __name__, url_prefix="/v1", description="Mentoring programs, enrollments and matching")
blp.before_request(check_path_ids)


@blp.route("/programs", methods=["POST"])
@require("program_admin")
@blp.arguments(ProgramIn)
@blp.response(201, ProgramOut)
def create_program(body: dict):
    """Create a program with its weights and hard constraints."""
    return programs.create_program(unit_of_work(), body, current_principal().actor_id)


@blp.route("/programs", methods=["GET"])
@require()
@blp.arguments(ProgramQuery, location="query")
@blp.response(200, ProgramPage)
def list_programs(query: dict):
    return programs.list_programs(unit_of_work(), query.get("name"), limit=query["limit"], cursor=query["cursor"])


@blp.route("/programs/<program_id>", methods=["GET"])
@require()
@blp.response(200, ProgramOut)
def get_program(program_id: str):
    return programs.get_program(unit_of_work(), program_id)


@blp.route("/programs/<program_id>/enrollments", methods=["POST"])
@require()
@blp.arguments(EnrollmentIn)
@blp.response(201, EnrollmentOut)
@blp.alt_response(200, schema=EnrollmentOut, description="Already enrolled in that role")
def enroll(body: dict, program_id: str):
    """Enroll a person (a program admin, or the person themselves) in a role their profile has."""
    principal = current_principal()
    access.check_admin_or_self(principal, body["employee_id"], "enroll this person")
    enrollment, created = enrollments.enroll(unit_of_work(), program_id, body["employee_id"], body["role"],
                                             backfill_of(principal, body))
    return enrollment, 201 if created else 200


@blp.route("/programs/<program_id>/enrollments", methods=["GET"])
@require(*access.READERS)
@blp.arguments(EnrollmentQuery, location="query")
@blp.response(200, EnrollmentPage)
def list_enrollments(query: dict, program_id: str):
    return enrollments.list_enrollments(unit_of_work(), program_id, role=query.get("role"),
                                        status=query.get("status"), limit=query["limit"], cursor=query["cursor"])


@blp.route("/programs/<program_id>/enrollments/<employee_id>", methods=["DELETE"])
@require()
@blp.response(204)
def withdraw(program_id: str, employee_id: str):
    """Withdraw from the program; the person's open mentorships in it end."""
    access.check_admin_or_self(current_principal(), employee_id, "withdraw this person")
    enrollments.withdraw(unit_of_work(), program_id, employee_id)


@blp.route("/programs/<program_id>/enrollments:import", methods=["POST"])
@require("program_admin")
@blp.response(200, ImportResult)
@blp.doc(requestBody={"content": {"application/json": {"schema": {"type": "array", "items": EnrollmentIn}}}})
def import_enrollments(program_id: str):
    """Enroll up to 50,000 people at once; bad rows are reported by index, good rows are kept; of repeated
    rows for one person the last is applied and the earlier ones are reported as superseded. A row with
    `occurred_at` backfills that enrollment (audited)."""
    rows = parse_rows(request.get_data(cache=False), request.content_type or "", max_rows=enrollment_import.MAX_ROWS,
                      ndjson_allowed=False)
    report = ImportReport()
    valid = valid_rows(rows, EnrollmentIn(), report)  # the last row for a person is the one applied
    return enrollment_import.import_enrollments(unit_of_work(), program_id, valid, report,
                                                recorded_by=current_principal().sub).as_dict()


@blp.route("/programs/<program_id>/suggestions", methods=["GET"])
@require()
@blp.arguments(SuggestionQuery, location="query")
@blp.response(200, SuggestionOut(many=True))
def suggestions(query: dict, program_id: str):
    """Ranked mentors for a mentee, with the score breakdown and reasons."""
    principal = current_principal()
    if not access.reads_all(principal):
        access.check_admin_or_self(principal, query["mentee_id"], "see these suggestions")
    return ranked_mentors(unit_of_work(), program_id, query["mentee_id"], query["limit"])


@blp.route("/programs/<program_id>/at-risk", methods=["GET"])
@require(*access.READERS)
@blp.arguments(AtRiskQuery, location="query")
@blp.response(200, AtRiskPage)
def at_risk(query: dict, program_id: str):
    """Active mentorships needing attention, with their signals and up to 3 alternative mentors."""
    return at_risk_pairs(unit_of_work(), program_id, query["as_of"] or utcnow(), query["limit"], query["cursor"])


@blp.route("/programs/<program_id>/matching-runs", methods=["POST"])
@require("program_admin")
@blp.arguments(BackfillIn, required=False)
@blp.response(202, RunAccepted)
def start_run(body: dict, program_id: str):
    """Start matching the program's unmatched mentees; the worker does it, poll the run. With `occurred_at`
    it is a backfilled wave: among those enrolled by then, its proposals are created then."""
    principal = current_principal()
    run = runs.request_run(unit_of_work(), program_id, principal.actor_id, backfill_of(principal, body))
    return run, 202, {"Location": f"/v1/matching-runs/{run['run_id']}"}


@blp.route("/matching-runs/<run_id>", methods=["GET"])
@require(*access.READERS)
@blp.response(200, RunOut)
def get_run(run_id: str):
    return runs.run_outcome(unit_of_work(), run_id)
