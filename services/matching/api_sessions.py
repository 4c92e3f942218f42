"""HTTP routes for sessions (with the .ics invite) and feedback of a mentorship."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Response
from flask_smorest import Blueprint

from services.matching.api_common import repos
from services.matching.api_mentorships import readable_mentorship
from services.matching.domain import access
from services.matching.mentorships import MentorshipService
from services.matching.schemas_pairs import (
    FeedbackIn,
    FeedbackOut,
    FeedbackPage,
    SessionCompleteIn,
    SessionIn,
    SessionOut,
    SessionPage,
)
from services.matching.sessions import FeedbackService, SessionService
from shared.auth import Principal, current_principal, require
from shared.errors import Forbidden
from shared.schemas import PageQuery

blp = Blueprint("sessions", __name__, url_prefix="/v1", description="Mentoring sessions and feedback")


def _session_view(principal: Principal, mentorship: Mapping[str, Any]) -> Callable[[Mapping], dict]:
    """Notes are for the pair; admins and managers see the session without them."""
    if access.sees_private(principal, mentorship):
        return dict
    return lambda session: {k: v for k, v in session.items() if k != "notes"}


def _acting_on_session(session_id: str) -> tuple[SessionService, dict, dict, Principal]:
    principal, store = current_principal(), repos()
    service = SessionService(store)
    session = service.get(session_id)
    mentorship = MentorshipService(store).get(session["mentorship_id"])
    access.check_act(principal, mentorship, "session")
    return service, session, mentorship, principal


@blp.route("/mentorships/<mentorship_id>/sessions", methods=["POST"])
@require()
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
def schedule(body: dict, mentorship_id: str):
    """Either member (or a program admin) schedules a session of an active mentorship."""
    principal, store = current_principal(), repos()
    mentorship = MentorshipService(store).get(mentorship_id)
    access.check_act(principal, mentorship, "session")
    return _session_view(principal, mentorship)(SessionService(store).schedule(mentorship, body, principal.actor_id))


@blp.route("/mentorships/<mentorship_id>/sessions", methods=["GET"])
@require()
@blp.arguments(PageQuery, location="query")
@blp.response(200, SessionPage)
def list_sessions(query: dict, mentorship_id: str):
    principal, store = current_principal(), repos()
    mentorship = readable_mentorship(store, mentorship_id, principal)
    return SessionService(store).page(mentorship_id, limit=query["limit"], cursor=query["cursor"],
                                      render=_session_view(principal, mentorship))


@blp.route("/sessions/<session_id>", methods=["GET"])
@require()
@blp.response(200, SessionOut)
def get_session(session_id: str):
    principal, store = current_principal(), repos()
    session = SessionService(store).get(session_id)
    mentorship = readable_mentorship(store, session["mentorship_id"], principal)
    return _session_view(principal, mentorship)(session)


@blp.route("/sessions/<session_id>.ics", methods=["GET"])
@require()
@blp.doc(responses={"200": {"description": "The session as an iCalendar event",
                            "content": {"text/calendar": {"schema": {"type": "string"}}}}})
def session_ics(session_id: str):
    """The session as an iCalendar VEVENT (never the private notes)."""
    principal, store = current_principal(), repos()
    service = SessionService(store)
    session = service.get(session_id)
    readable_mentorship(store, session["mentorship_id"], principal)
    return Response(service.invite(session), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="session-{session_id}.ics"'})


@blp.route("/sessions/<session_id>/complete", methods=["POST"])
@require()
@blp.arguments(SessionCompleteIn)
@blp.response(200, SessionOut)
def complete(body: dict, session_id: str):
    """Mark a session held, with private notes and the goals worked on."""
    service, session, mentorship, principal = _acting_on_session(session_id)
    if body.get("notes") and not access.sees_private(principal, mentorship):
        raise Forbidden("session notes are private to the pair; complete the session without notes")
    done = service.complete(session, body.get("notes"), body.get("goal_ids"))
    return _session_view(principal, mentorship)(done)


@blp.route("/sessions/<session_id>/cancel", methods=["POST"])
@require()
@blp.response(200, SessionOut)
def cancel(session_id: str):
    service, session, mentorship, principal = _acting_on_session(session_id)
    return _session_view(principal, mentorship)(service.cancel(session))


@blp.route("/mentorships/<mentorship_id>/feedback", methods=["POST"])
@require()
@blp.arguments(FeedbackIn)
@blp.response(201, FeedbackOut)
def give_feedback(body: dict, mentorship_id: str):
    """A rating (1–5) and private comment from the mentor or mentee of this pair."""
    principal, store = current_principal(), repos()
    mentorship = MentorshipService(store).get(mentorship_id)
    role = access.check_feedback_author(principal, mentorship)
    return FeedbackService(store).submit(mentorship, principal.employee_id, role, body)


@blp.route("/mentorships/<mentorship_id>/feedback", methods=["GET"])
@require()
@blp.arguments(PageQuery, location="query")
@blp.response(200, FeedbackPage)
def list_feedback(query: dict, mentorship_id: str):
    """The pair reads comments; admins read ratings only."""
    principal, store = current_principal(), repos()
    mentorship = MentorshipService(store).get(mentorship_id)
    pair = access.sees_private(principal, mentorship)
    if not pair:
        access.check_reads_all(principal)
    return FeedbackService(store).page(mentorship_id, limit=query["limit"], cursor=query["cursor"],
                                       with_comments=pair)
