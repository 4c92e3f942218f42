"""HTTP routes of the analytics service: program KPIs, breakdowns, time series, outcomes and the export."""

from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint
from marshmallow import RAISE, ValidationError

from services.analytics.adapters.unit_of_work import AnalyticsUnitOfWork
from services.analytics.domain.export import to_csv
from services.analytics.entrypoints.schemas import (
    AtRiskQuery,
    Breakdown,
    BreakdownQuery,
    NoQuery,
    Outcomes,
    PairsAtRisk,
    Summary,
    Timeseries,
    TimeseriesQuery,
)
from services.analytics.use_cases import at_risk, reports
from shared.auth import require
from shared.errors import NotFound
from shared.schemas import single_line
from shared.web import store_of

blp = Blueprint("analytics", __name__, url_prefix="/v1", description="Program KPIs and outcomes")

READERS = ("program_admin", "hr_admin")
MAX_PROGRAM_ID = 128


def query(schema):
    """The route's query parameters; unknown ones are a 422 (webargs would drop them from a query string)."""
    return blp.arguments(schema, location="query", unknown=RAISE)


def program_id_of(path_value: str) -> str:
    """The program id of the path; one with control characters or of any length could name no program,
    and is not echoed back (into a problem document, a log or the dashboard's error page)."""
    try:
        single_line(path_value)
        if len(path_value) <= MAX_PROGRAM_ID:
            return path_value
    except ValidationError:
        pass
    raise NotFound("analytics knows no program by that id")


def unit_of_work() -> AnalyticsUnitOfWork:
    """A request's unit of work: the fact and report stores, outside any transaction."""
    return AnalyticsUnitOfWork(store_of(current_app).db)


def report_of(program_id: str) -> dict:
    """The program's report, as the worker built it (or computed now before its first build)."""
    min_size = current_app.extensions["tandem.config"].analytics_min_group_size
    return reports.program_report(unit_of_work(), program_id_of(program_id), min_size)


def export_of(program_id: str) -> Response:
    """The program's participants as a CSV download."""
    found = reports.export_rows(unit_of_work(), program_id_of(program_id))
    return csv_response(program_id, to_csv(found))


@blp.route("/programs/<program_id>/summary", methods=["GET"])
@require(*READERS)
@query(NoQuery)
@blp.response(200, Summary)
def summary(_query: dict, program_id: str):
    """The program's headline KPIs."""
    report = report_of(program_id)
    return {"program_id": program_id, **report["summary"]}


@blp.route("/programs/<program_id>/breakdown", methods=["GET"])
@require(*READERS)
@query(BreakdownQuery)
@blp.response(200, Breakdown)
def breakdown(query: dict, program_id: str):
    """The KPIs per department or grade; groups below the minimum size are merged into "other"."""
    report = report_of(program_id)
    return {"program_id": program_id, "by": query["by"], "min_group_size": report["min_group_size"],
            "items": report["breakdown"][query["by"]], "as_of": report["as_of"]}


@blp.route("/programs/<program_id>/timeseries", methods=["GET"])
@require(*READERS)
@query(TimeseriesQuery)
@blp.response(200, Timeseries)
def timeseries(query: dict, program_id: str):
    """One metric per UTC week or month, from the program's start (or first data) to its end (or now)."""
    report = report_of(program_id)
    return {"program_id": program_id, **query, "as_of": report["as_of"],
            "points": report["timeseries"][query["interval"]][query["metric"]]}


@blp.route("/programs/<program_id>/outcomes", methods=["GET"])
@require(*READERS)
@query(NoQuery)
@blp.response(200, Outcomes)
def outcomes(_query: dict, program_id: str):
    """Promotion and attrition of participants against the rest of their departments."""
    return {"program_id": program_id, **report_of(program_id)["outcomes"]}


@blp.route("/programs/<program_id>/at-risk-report", methods=["GET"])
@require(*READERS)
@query(AtRiskQuery)
@blp.response(200, PairsAtRisk)
def at_risk_report(query: dict, program_id: str):
    """Active pairs that need attention, as the dashboard shows them: a report as of `as_of`, computed
    from analytics' facts. Matching's `/at-risk` is the live list, with alternative mentors."""
    found = at_risk.page(unit_of_work(), report_of(program_id), query["limit"], query["cursor"])
    return {"program_id": program_id, **found}


@blp.route("/programs/<program_id>/export.csv", methods=["GET"])
@require(*READERS)
@query(NoQuery)
@blp.doc(responses={"200": {"description": "one row per person and role", "content": {"text/csv": {}}}})
def export_csv(_query: dict, program_id: str):
    """The participants with their counts, as CSV for HR (no notes, comments or ratings)."""
    return export_of(program_id)


def csv_response(program_id: str, body: str) -> Response:
    safe_name = "".join(c if c.isalnum() or c in "-_" else "_" for c in program_id)[:80]
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="program-{safe_name}.csv"', "Cache-Control": "no-store"})
