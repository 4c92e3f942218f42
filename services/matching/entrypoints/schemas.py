"""HTTP bodies of programs, enrollments, suggestions, at-risk and matching runs (marshmallow, at the edge)."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

from services.matching.domain.lifecycle import EARLIEST, LATEST
from shared.schemas import EmployeeId, OccurredAt, PageQuery, SingleLine, Strict, page_of

ROLE = validate.OneOf(["mentor", "mentee"])


def ResourceId(**kw) -> fields.String:  # noqa: N802 - reads like a field type
    """The id of a program, mentorship, session or goal: one line of 1-128 characters."""
    return SingleLine(128, min_len=1, **kw)


def Moment(**kw) -> fields.AwareDateTime:  # noqa: N802 - reads like a field type
    """An RFC 3339 instant (UTC if no offset) between 1970 and 2999, so every calendar can hold it."""
    error = "must be between 1970-01-01T00:00:00Z and 2999-12-31T23:59:59Z"
    return fields.AwareDateTime(default_timezone=UTC, validate=validate.Range(EARLIEST, LATEST, max_inclusive=False,
                                                                              error=error), **kw)


def Weight() -> fields.Float:  # noqa: N802 - reads like a field type
    return fields.Float(validate=validate.Range(0, 100), allow_nan=False)


class WeightsIn(Strict):
    skills, goals, seniority = Weight(), Weight(), Weight()
    cross_department, language, timezone = Weight(), Weight(), Weight()


class ConstraintsIn(Strict):
    exclude_reporting_line = fields.Boolean(load_default=True)
    max_grade_gap = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(0, 14))
    require_shared_language = fields.Boolean(load_default=False)


class ProgramIn(Strict):
    name = SingleLine(200, min_len=1, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    checkin_every_days = fields.Integer(required=True, validate=validate.Range(1, 365))
    weights = fields.Nested(WeightsIn, load_default=dict)
    constraints = fields.Nested(ConstraintsIn, load_default=dict)


class ProgramOut(Schema):
    program_id = fields.String()
    name = fields.String()
    starts_on = fields.String()
    ends_on = fields.String()
    checkin_every_days = fields.Integer()
    weights = fields.Dict(keys=fields.String(), values=fields.Float())
    constraints = fields.Dict()
    admin_id = fields.String(allow_none=True)
    version = fields.Integer()
    created_at = fields.String()


class ProgramQuery(PageQuery):
    name = SingleLine(200, min_len=1)


ProgramPage = page_of(ProgramOut)


class EnrollmentIn(Strict):
    employee_id = EmployeeId(required=True)
    role = fields.String(required=True, validate=ROLE)
    occurred_at = OccurredAt()


class EnrollmentOut(Schema):
    program_id = fields.String()
    employee_id = fields.String()
    role = fields.String()
    status = fields.String()
    enrolled_at = fields.String()
    withdrawn_at = fields.String(allow_none=True)
    withdraw_reason = fields.String(allow_none=True)


class EnrollmentQuery(PageQuery):
    role = fields.String(validate=ROLE)
    status = fields.String(validate=validate.OneOf(["active", "withdrawn"]))


EnrollmentPage = page_of(EnrollmentOut)


class ImportFailure(Schema):
    index = fields.Integer()
    employee_id = fields.Raw(allow_none=True)
    errors = fields.Dict()


class ImportResult(Schema):
    created = fields.Integer()
    unchanged = fields.Integer()
    failed = fields.List(fields.Nested(ImportFailure))


class SuggestionQuery(Strict):
    mentee_id = EmployeeId(required=True)
    limit = fields.Integer(load_default=10, validate=validate.Range(1, 100))


class SuggestionOut(Schema):
    mentor_id = fields.String()
    score = fields.Float()
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float())
    reasons = fields.List(fields.String())


class AtRiskQuery(PageQuery):
    as_of = Moment(load_default=None)


class AtRiskItem(Schema):
    mentorship_id = fields.String()
    mentor_id = fields.String()
    mentee_id = fields.String()
    started_at = fields.String()
    signals = fields.List(fields.Dict())
    alternatives = fields.List(fields.Nested(SuggestionOut))


class AtRiskPage(Schema):
    items = fields.List(fields.Nested(AtRiskItem))
    next_cursor = fields.String(allow_none=True)
    as_of = fields.String()


class RunAccepted(Schema):
    run_id = fields.String()
    status = fields.String()


class AssignmentOut(Schema):
    mentee_id = fields.String()
    mentor_id = fields.String()
    score = fields.Float()
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float())
    mentorship_id = fields.String()


class UnmatchedOut(Schema):
    mentee_id = fields.String()
    reason = fields.String()


class RunOut(Schema):
    run_id = fields.String()
    program_id = fields.String()
    status = fields.String()
    assignments = fields.List(fields.Nested(AssignmentOut))
    unmatched = fields.List(fields.Nested(UnmatchedOut))
    objective = fields.Float(allow_none=True)
    duration_ms = fields.Integer(allow_none=True)
    requested_by = fields.String()
    requested_at = fields.String()
    occurred_at = fields.String(allow_none=True, metadata={"description": "a backfilled wave: when it happened"})
    started_at = fields.String(allow_none=True)
    finished_at = fields.String(allow_none=True)
    assigned_count = fields.Integer(allow_none=True)
    unmatched_count = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    audit = fields.Dict()
