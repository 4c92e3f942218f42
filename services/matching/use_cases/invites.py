"""A session as an iCalendar invite (shared.calendar), with the pair's current names; never the notes."""

from __future__ import annotations

from services.matching.use_cases.mentorships import readable_mentorship
from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.sessions import get_session
from shared.auth import Principal
from shared.calendar import session_invite, session_summary
from shared.errors import Conflict
from shared.timeutil import parse_rfc3339

FORMER_EMPLOYEE = "Former employee"  # shown for a person erased since the session was planned


def invite(uow: UnitOfWork, principal: Principal, session_id: str) -> str:
    """The session as an iCalendar event, for anyone who may read its mentorship."""
    session = get_session(uow, session_id)
    readable_mentorship(uow, principal, session["mentorship_id"])
    names = uow.people.get_many([session["mentor_id"], session["mentee_id"]])

    def name(employee_id: str) -> str:
        return (names.get(employee_id) or {}).get("name") or FORMER_EMPLOYEE

    try:
        return session_invite(session_id=session["session_id"], starts_at=parse_rfc3339(session["scheduled_at"]),
                              duration_minutes=session["duration_minutes"],
                              summary=session_summary(name(session["mentor_id"]), name(session["mentee_id"])),
                              description=session.get("agenda"), cancelled=session["status"] == "cancelled",
                              stamped_at=parse_rfc3339(session["created_at"]))
    except (OverflowError, ValueError) as exc:  # stored before the API refused times no calendar holds
        raise Conflict(f"session {session_id} has a time no calendar can hold; reschedule it") from exc
