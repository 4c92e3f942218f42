"""Marshmallow schemas of every event's `data` (DESIGN.md §3).

Privacy on the bus: no session notes, feedback comments, goal descriptions or bios here —
only ids, statuses, numbers and timestamps, plus the contact fields notifications need.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

Id = fields.String(required=True, validate=validate.Length(min=1, max=128))
OptionalId = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=128))
Timestamp = fields.String(validate=validate.Length(min=10, max=40))
# True on events of history an admin backfilled (occurred_at in the past, e.g. a migration from another
# platform): projections record them at their own times; nobody is notified about them now.
Backfilled = fields.Boolean()  # absent on live events


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class SkillData(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    level = fields.Integer(required=True, validate=validate.Range(1, 5))


class ProfileData(_Strict):
    """A person as HR describes them; `version` grows with every change."""

    employee_id = Id
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    name = fields.String(required=True)
    email = fields.String(required=True)
    title = fields.String(allow_none=True)
    department = fields.String(required=True)
    location = fields.String(allow_none=True)
    timezone = fields.String(required=True)
    languages = fields.List(fields.String(), required=True)
    manager_id = OptionalId
    grade = fields.Integer(required=True, validate=validate.Range(1, 15))
    years_experience = fields.Float(allow_none=True)
    skills = fields.List(fields.Nested(SkillData), required=True)
    interests = fields.List(fields.String(), load_default=list)
    roles = fields.List(fields.String(validate=validate.OneOf(["mentor", "mentee"])), required=True)
    mentor_capacity = fields.Integer(required=True, validate=validate.Range(min=0))
    availability_hours_per_month = fields.Float(allow_none=True)
    employment_status = fields.String(required=True,
                                      validate=validate.OneOf(["active", "leave", "terminated"]))
    updated_at = Timestamp
    backfilled = Backfilled


class ProfileDeletedData(_Strict):
    employee_id = Id
    version = fields.Integer(required=True)


class GoalData(_Strict):
    goal_id = Id
    employee_id = Id
    target_skills = fields.List(fields.String(), load_default=list)
    status = fields.String(required=True, validate=validate.OneOf(["active", "completed", "abandoned"]))
    progress = fields.Integer(required=True, validate=validate.Range(0, 100))
    previous_progress = fields.Integer(load_default=None, allow_none=True)
    due_on = fields.String(load_default=None, allow_none=True)
    milestones_total = fields.Integer(load_default=0)
    version = fields.Integer(required=True)
    updated_at = Timestamp
    backfilled = Backfilled


class ProgramData(_Strict):
    program_id = Id
    name = fields.String(required=True)
    starts_on = fields.String(required=True)
    ends_on = fields.String(required=True)
    checkin_every_days = fields.Integer(required=True, validate=validate.Range(min=1))
    admin_id = OptionalId


class EnrollmentData(_Strict):
    program_id = Id
    employee_id = Id
    role = fields.String(required=True, validate=validate.OneOf(["mentor", "mentee"]))
    reason = fields.String(load_default=None, allow_none=True)
    at = Timestamp
    backfilled = Backfilled


class MatchingRunData(_Strict):
    program_id = Id
    run_id = Id
    assigned = fields.Integer(required=True)
    unmatched = fields.Integer(required=True)
    objective = fields.Float(required=True)
    duration_ms = fields.Integer(required=True)


class MentorshipData(_Strict):
    mentorship_id = Id
    program_id = Id
    mentor_id = Id
    mentee_id = Id
    status = fields.String(required=True,
                           validate=validate.OneOf(["proposed", "active", "declined", "ended"]))
    score = fields.Float(allow_none=True)
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float(), load_default=dict)
    reasons = fields.List(fields.String(), load_default=list)
    reason = fields.String(load_default=None, allow_none=True)
    created_at = Timestamp
    started_at = fields.String(load_default=None, allow_none=True)
    ended_at = fields.String(load_default=None, allow_none=True)
    backfilled = Backfilled


class SessionData(_Strict):
    session_id = Id
    mentorship_id = Id
    program_id = Id
    mentor_id = Id
    mentee_id = Id
    status = fields.String(required=True, validate=validate.OneOf(["scheduled", "completed", "cancelled"]))
    scheduled_at = fields.String(required=True)
    duration_minutes = fields.Integer(required=True)
    goal_ids = fields.List(fields.String(), load_default=list)
    completed_at = fields.String(load_default=None, allow_none=True)
    backfilled = Backfilled


class FeedbackData(_Strict):
    feedback_id = Id
    mentorship_id = Id
    program_id = Id
    session_id = OptionalId
    author_id = Id
    author_role = fields.String(required=True, validate=validate.OneOf(["mentor", "mentee"]))
    rating = fields.Integer(required=True, validate=validate.Range(1, 5))
    submitted_at = Timestamp
    backfilled = Backfilled


class NotificationData(_Strict):
    notification_id = Id
    recipient_id = Id
    kind = fields.String(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(["email", "webhook", "inbox"]))
    status = fields.String(required=True, validate=validate.OneOf(["delivered", "failed"]))
    attempts = fields.Integer(required=True)
    reason = fields.String(load_default=None, allow_none=True)
    program_id = OptionalId
