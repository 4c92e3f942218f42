"""HTTP bodies of mentorships, sessions and feedback (marshmallow, at the edge)."""

from __future__ import annotations

import re

from marshmallow import Schema, fields, validate

from services.matching.entrypoints.schemas import Moment, ResourceId
from shared.schemas import EmployeeId, MultiLine, OccurredAt, PageQuery, Strict, fullmatch, page_of

REASON_CODE = fullmatch(re.compile(r"[a-z][a-z_]{0,39}"), "a short code such as completed or not_a_fit")
GOAL_IDS = fields.List(ResourceId(), validate=validate.Length(max=20))


class MentorshipIn(Strict):
    program_id = ResourceId(required=True)
    mentor_id = EmployeeId(required=True)
    mentee_id = EmployeeId(required=True)
    occurred_at = OccurredAt()


class EndIn(Strict):
    # a code, not prose: the reason travels on the bus and must not carry private text
    reason = fields.String(load_default="completed", validate=REASON_CODE)
    occurred_at = OccurredAt()


class MentorshipOut(Schema):
    mentorship_id = fields.String()
    program_id = fields.String()
    mentor_id = fields.String()
    mentee_id = fields.String()
    status = fields.String()
    score = fields.Float(allow_none=True)
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float())
    reasons = fields.List(fields.String())
    created_at = fields.String()
    started_at = fields.String(allow_none=True)
    ended_at = fields.String(allow_none=True)
    end_reason = fields.String(allow_none=True)
    run_id = fields.String(allow_none=True)


class MentorshipQuery(PageQuery):
    program_id = ResourceId()
    employee_id = EmployeeId()
    status = fields.String(validate=validate.OneOf(["proposed", "active", "declined", "ended"]))


MentorshipPage = page_of(MentorshipOut)


class SessionIn(Strict):
    scheduled_at = Moment(required=True)
    duration_minutes = fields.Integer(load_default=60, validate=validate.Range(5, 480))
    agenda = MultiLine(2000, load_default=None, allow_none=True)
    goal_ids = GOAL_IDS
    occurred_at = OccurredAt()


class SessionCompleteIn(Strict):
    notes = MultiLine(10000, load_default=None, allow_none=True)
    goal_ids = GOAL_IDS
    occurred_at = OccurredAt()


class SessionOut(Schema):
    session_id = fields.String()
    mentorship_id = fields.String()
    program_id = fields.String()
    mentor_id = fields.String()
    mentee_id = fields.String()
    status = fields.String()
    scheduled_at = fields.String()
    duration_minutes = fields.Integer()
    agenda = fields.String(allow_none=True)
    goal_ids = fields.List(fields.String())
    notes = fields.String(allow_none=True)  # only to the pair
    created_at = fields.String()
    completed_at = fields.String(allow_none=True)
    cancelled_at = fields.String(allow_none=True)


SessionPage = page_of(SessionOut)


class FeedbackIn(Strict):
    session_id = ResourceId(load_default=None, allow_none=True)
    rating = fields.Integer(required=True, validate=validate.Range(1, 5))
    comment = MultiLine(4000, load_default=None, allow_none=True)
    occurred_at = OccurredAt()
    author_id = EmployeeId(load_default=None, allow_none=True, metadata={
        "description": "with occurred_at only: the member of the pair who gave this rating (program_admin "
                       "backfilling; no comment then, as comments are the pair's own)"})


class FeedbackOut(Schema):
    feedback_id = fields.String()
    mentorship_id = fields.String()
    program_id = fields.String()
    session_id = fields.String(allow_none=True)
    author_id = fields.String()
    author_role = fields.String()
    rating = fields.Integer()
    comment = fields.String(allow_none=True)  # only to the pair
    submitted_at = fields.String()


FeedbackPage = page_of(FeedbackOut)
