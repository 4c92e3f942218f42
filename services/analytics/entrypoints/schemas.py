"""HTTP query and response schemas of the analytics API (the OpenAPI document is generated from these)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.analytics.domain.groups import DIMENSIONS
from services.analytics.domain.timeseries import INTERVALS, METRICS
from shared.schemas import PageQuery, Strict, page_of


class NoQuery(Strict):
    """A route without parameters still refuses unknown ones (422), as every route does."""


class BreakdownQuery(Strict):
    by = fields.String(required=True, validate=validate.OneOf(list(DIMENSIONS)))


class TimeseriesQuery(Strict):
    metric = fields.String(required=True, validate=validate.OneOf(METRICS))
    interval = fields.String(load_default="week", validate=validate.OneOf(INTERVALS))


def _rate() -> fields.Float:
    return fields.Float(allow_none=True)


class SummaryKpis(Schema):
    class Meta:
        ordered = True

    enrolled_mentees = fields.Integer()
    enrolled_mentors = fields.Integer()
    matched_mentees = fields.Integer()
    match_rate = _rate()
    median_hours_to_match = _rate()
    active_mentorships = fields.Integer()
    ended_mentorships = fields.Integer()
    sessions_completed = fields.Integer()
    sessions_per_active_mentorship_per_month = _rate()
    goals_total = fields.Integer()
    goals_completed = fields.Integer()
    goal_completion_rate = _rate()
    average_feedback_rating = _rate()
    feedback_count = fields.Integer()
    mentor_utilization = _rate()
    as_of = fields.String()


class Summary(SummaryKpis):
    program_id = fields.String()


class BreakdownItem(SummaryKpis):
    group = fields.String()
    people = fields.Integer(metadata={"description": "participants in the group (at least min_group_size)"})


class Breakdown(Schema):
    program_id = fields.String()
    by = fields.String()
    min_group_size = fields.Integer()
    items = fields.List(fields.Nested(BreakdownItem))
    as_of = fields.String()


class Point(Schema):
    period_start = fields.String(metadata={"description": "first day of the UTC week (Monday) or month"})
    value = fields.Raw(allow_none=True, metadata={"type": "number", "description": "count, or average rating"})


class Timeseries(Schema):
    program_id = fields.String()
    metric = fields.String()
    interval = fields.String()
    points = fields.List(fields.Nested(Point))
    as_of = fields.String()


class Cohort(Schema):
    people = fields.Integer()
    promoted = fields.Integer(allow_none=True)
    promotion_rate = _rate()
    left = fields.Integer(allow_none=True)
    attrition_rate = _rate()
    suppressed = fields.Boolean(metadata={"description": "fewer people than min_group_size: rates withheld"})


class Window(Schema):
    from_ = fields.String(data_key="from", attribute="from", allow_none=True)
    to = fields.String()


class Outcomes(Schema):
    program_id = fields.String()
    window = fields.Nested(Window)
    departments = fields.List(fields.String())
    participants = fields.Nested(Cohort)
    non_participants = fields.Nested(Cohort)
    min_group_size = fields.Integer()
    as_of = fields.String()


class AtRiskQuery(PageQuery):
    """`?limit=&cursor=` over the report's pairs at risk."""


class Signal(Schema):
    signal = fields.String(metadata={"description": "no_session_for_days | low_rating | stalled_goals"})
    days = fields.Integer(metadata={"description": "no_session_for_days: days since the last session or the start"})
    rating = fields.Integer(metadata={"description": "low_rating: the lower of the members' latest ratings"})
    goal_ids = fields.List(fields.String(), metadata={"description": "stalled_goals: active goals unmoved 30 days"})


class PairAtRisk(Schema):
    class Meta:
        ordered = True

    mentorship_id = fields.String()
    mentor_id = fields.String(allow_none=True, metadata={"description": "null once the person is erased"})
    mentor_name = fields.String(allow_none=True)
    mentor_department = fields.String(allow_none=True)
    mentee_id = fields.String(allow_none=True)
    mentee_name = fields.String(allow_none=True)
    mentee_department = fields.String(allow_none=True)
    started_at = fields.String()
    last_session_at = fields.String(allow_none=True)
    sessions_completed = fields.Integer()
    days_without_session = fields.Integer()
    signals = fields.List(fields.Nested(Signal))


class PairsAtRisk(page_of(PairAtRisk)):
    program_id = fields.String()
    as_of = fields.String(metadata={"description": "when the report these pairs come from was computed"})
