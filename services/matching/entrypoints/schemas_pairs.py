"""HTTP bodies of mentorships, sessions and feedback (marshmallow, at the edge)."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, fields, validate

from services.matching.entrypoints.schemas import EMPLOYEE_ID
from shared.schemas import PageQuery, Strict, page_of

REASON_CODE = validate.Regexp(r"^[a-z][a-z_]{0,39}$", error="a short code such as completed or not_a_fit")
GOAL_IDS = fields.List(fields.String(validate=validate.Length(min=1, max=128)), validate=validate.Length(max=20))


class MentorshipIn(Strict):
    program_id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    mentor_id = fields.String(required=True, validate=EMPLOYEE_ID)
    mentee_id = fields.String(required=True, validate=EMPLOYEE_ID)


class EndIn(Strict):
    # a code, not prose: the reason travels on the bus and must not carry private text
    reason = fields.String(load_default="completed", validate=REASON_CODE)


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
    program_id = fields.String(validate=validate.Length(min=1, max=128))
    employee_id = fields.String(validate=EMPLOYEE_ID)
    status = fields.String(validate=validate.OneOf(["proposed", "active", "declined", "ended"]))


MentorshipPage = page_of(MentorshipOut)


class SessionIn(Strict):
    scheduled_at = fields.AwareDateTime(required=True, default_timezone=UTC)
    duration_minutes = fields.Integer(load_default=60, validate=validate.Range(5, 480))
    agenda = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    goal_ids = GOAL_IDS


class SessionCompleteIn(Strict):
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=10000))
    goal_ids = GOAL_IDS


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
    session_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=128))
    rating = fields.Integer(required=True, validate=validate.Range(1, 5))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


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
