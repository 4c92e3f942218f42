"""Use cases for sessions and feedback of a mentorship."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.matching import events
from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.domain import lifecycle
from shared.calendar import session_invite, session_summary
from shared.errors import Conflict, Invalid, NotFound
from shared.events import catalog as ev
from shared.timeutil import now_rfc3339, parse_rfc3339, to_rfc3339

FORMER_EMPLOYEE = "Former employee"  # shown for a person erased since the session was planned


class SessionService:
    def __init__(self, repos: MatchingUnitOfWork):
        self.repos = repos

    def get(self, session_id: str) -> dict[str, Any]:
        found = self.repos.sessions.get(session_id)
        if found is None:
            raise NotFound(f"no session {session_id}")
        return found

    def schedule(self, mentorship: Mapping[str, Any], body: Mapping[str, Any], by: str) -> dict[str, Any]:
        """A session for an active pair; past times are allowed, to log a meeting that already happened."""
        lifecycle.check_can_schedule(mentorship)
        session = {"session_id": str(uuid.uuid4()), "mentorship_id": mentorship["mentorship_id"],
                   "program_id": mentorship["program_id"], "mentor_id": mentorship["mentor_id"],
                   "mentee_id": mentorship["mentee_id"], "status": "scheduled",
                   "scheduled_at": to_rfc3339(body["scheduled_at"]), "duration_minutes": body["duration_minutes"],
                   "agenda": body.get("agenda"), "goal_ids": list(body.get("goal_ids") or []), "notes": None,
                   "created_at": now_rfc3339(), "created_by": by, "completed_at": None, "cancelled_at": None}
        self.repos.sessions.insert(session, [events.session(ev.SESSION_SCHEDULED, session)])
        return session

    def complete(self, session: Mapping[str, Any], notes: str | None, goal_ids: list[str] | None) -> dict[str, Any]:
        extra: dict[str, Any] = {"notes": notes}
        if goal_ids is not None:
            extra["goal_ids"] = list(goal_ids)
        return self._change(session, "complete", extra)

    def cancel(self, session: Mapping[str, Any]) -> dict[str, Any]:
        return self._change(session, "cancel", {})

    def _change(self, session: Mapping[str, Any], action: str, extra: Mapping[str, Any]) -> dict[str, Any]:
        """A conditional write on the status: a session leaves `scheduled` once, so a write lost to a
        concurrent complete or cancel is answered from the fresh session (a Conflict), never retried."""
        changes = {**lifecycle.session_transition(session, action, now_rfc3339()), **extra}
        updated = {**session, **changes}
        event = events.session(ev.SESSION_COMPLETED if action == "complete" else ev.SESSION_CANCELLED, updated)
        if not self.repos.sessions.update(session, changes, [event]):
            lifecycle.session_transition(self.get(session["session_id"]), action, now_rfc3339())
            raise Conflict("the session was changed concurrently; retry")
        return updated

    def page(self, mentorship_id: str, *, limit: int, cursor: str | None, render) -> dict[str, Any]:
        found = self.repos.sessions.page(mentorship_id, limit=limit, cursor=cursor)
        return {**found, "items": [render(s) for s in found["items"]]}

    def invite(self, session: Mapping[str, Any]) -> str:
        """The session as an iCalendar event, with the pair's names; never the notes."""
        names = self.repos.people.get_many([session["mentor_id"], session["mentee_id"]])

        def name(employee_id: str) -> str:
            return (names.get(employee_id) or {}).get("name") or FORMER_EMPLOYEE

        return session_invite(session_id=session["session_id"], starts_at=parse_rfc3339(session["scheduled_at"]),
                              duration_minutes=session["duration_minutes"],
                              summary=session_summary(name(session["mentor_id"]), name(session["mentee_id"])),
                              description=session.get("agenda"), cancelled=session["status"] == "cancelled",
                              stamped_at=parse_rfc3339(session["created_at"]))


class FeedbackService:
    def __init__(self, repos: MatchingUnitOfWork):
        self.repos = repos

    def submit(self, mentorship: Mapping[str, Any], author_id: str, author_role: str,
               body: Mapping[str, Any]) -> dict[str, Any]:
        """A rating (and private comment) from one of the pair; only the rating goes on the bus."""
        lifecycle.check_can_give_feedback(mentorship)
        session_id = body.get("session_id")
        if session_id is not None:
            session = self.repos.sessions.get(session_id)
            if session is None or session["mentorship_id"] != mentorship["mentorship_id"]:
                raise Invalid("session_id is not a session of this mentorship",
                              {"session_id": ["not a session of this mentorship"]})
        feedback = {"feedback_id": str(uuid.uuid4()), "mentorship_id": mentorship["mentorship_id"],
                    "program_id": mentorship["program_id"], "session_id": session_id, "author_id": author_id,
                    "author_role": author_role, "rating": body["rating"], "comment": body.get("comment"),
                    "submitted_at": now_rfc3339()}
        self.repos.feedback.insert(feedback, [events.feedback_submitted(feedback)])
        return feedback

    def page(self, mentorship_id: str, *, limit: int, cursor: str | None, with_comments: bool) -> dict[str, Any]:
        def render(doc: Mapping[str, Any]) -> dict[str, Any]:
            return dict(doc) if with_comments else {k: v for k, v in doc.items() if k != "comment"}

        found = self.repos.feedback.page(mentorship_id, limit=limit, cursor=cursor)
        return {**found, "items": [render(f) for f in found["items"]]}
