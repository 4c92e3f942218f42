"""HTTP routes for sessions (with the .ics invite) and feedback of a mentorship."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from services.matching.entrypoints.api_common import backfill_of, check_path_ids, unit_of_work
from services.matching.entrypoints.schemas_backfill import BackfillIn
from services.matching.entrypoints.schemas_pairs import (
    FeedbackIn,
    FeedbackOut,
    FeedbackPage,
    SessionCompleteIn,
    SessionIn,
    SessionOut,
    SessionPage,
)
from services.matching.use_cases import feedback, invites, sessions
from shared.auth import current_principal, require
from shared.schemas import PageQuery

blp = Blueprint("sessions", __name__, url_prefix="/v1", description="Mentoring sessions and feedback")
blp.before_request(check_path_ids)


@blp.route("/mentorships/<mentorship_id>/sessions", methods=["POST"])
@require()
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
def schedule(body: dict, mentorship_id: str):
    """Either member (or a program admin) schedules a session of an active mentorship."""
    principal = current_principal()
    return sessions.schedule(unit_of_work(), principal, mentorship_id, body, backfill_of(principal, body))


@blp.route("/mentorships/<mentorship_id>/sessions", methods=["GET"])
@require()
@blp.arguments(PageQuery, location="query")
@blp.response(200, SessionPage)
def list_sessions(query: dict, mentorship_id: str):
    return sessions.list_sessions(unit_of_work(), current_principal(), mentorship_id, limit=query["limit"],
                                  cursor=query["cursor"])


@blp.route("/sessions/<session_id>", methods=["GET"])
@require()
@blp.response(200, SessionOut)
def get_session(session_id: str):
    return sessions.read_session(unit_of_work(), current_principal(), session_id)


@blp.route("/sessions/<session_id>.ics", methods=["GET"])
@require()
@blp.doc(responses={"200": {"description": "The session as an iCalendar event",
                            "content": {"text/calendar": {"schema": {"type": "string"}}}}})
def session_ics(session_id: str):
    """The session as an iCalendar VEVENT (never the private notes)."""
    return Response(invites.invite(unit_of_work(), current_principal(), session_id), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="session-{session_id}.ics"'})


@blp.route("/sessions/<session_id>/complete", methods=["POST"])
@require()
@blp.arguments(SessionCompleteIn)
@blp.response(200, SessionOut)
def complete(body: dict, session_id: str):
    """Mark a session held, with private notes and the goals worked on."""
    principal = current_principal()
    return sessions.complete(unit_of_work(), principal, session_id, body.get("notes"), body.get("goal_ids"),
                             backfill_of(principal, body))


@blp.route("/sessions/<session_id>/cancel", methods=["POST"])
@require()
@blp.arguments(BackfillIn, required=False)
@blp.response(200, SessionOut)
def cancel(body: dict, session_id: str):
    principal = current_principal()
    return sessions.cancel(unit_of_work(), principal, session_id, backfill_of(principal, body))


@blp.route("/mentorships/<mentorship_id>/feedback", methods=["POST"])
@require()
@blp.arguments(FeedbackIn)
@blp.response(201, FeedbackOut)
def give_feedback(body: dict, mentorship_id: str):
    """A rating (1–5) and private comment from the mentor or mentee of this pair."""
    principal = current_principal()
    return feedback.give_feedback(unit_of_work(), principal, mentorship_id, body, backfill_of(principal, body))


@blp.route("/mentorships/<mentorship_id>/feedback", methods=["GET"])
@require()
@blp.arguments(PageQuery, location="query")
@blp.response(200, FeedbackPage)
def list_feedback(query: dict, mentorship_id: str):
    """The pair reads comments; admins read ratings only."""
    return feedback.list_feedback(unit_of_work(), current_principal(), mentorship_id, limit=query["limit"],
                                  cursor=query["cursor"])
