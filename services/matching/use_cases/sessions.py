"""Sessions of a pair: schedule, complete, cancel, read and list them; the pair's notes stay theirs."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from services.matching.domain import access, lifecycle
from services.matching.domain.backfill import schedule_history
from services.matching.use_cases import backfills, events
from services.matching.use_cases.mentorships import get_mentorship, readable_mentorship
from services.matching.use_cases.ports import Page, UnitOfWork
from services.matching.use_cases.session_changes import change_session
from shared.auth import Principal
from shared.backfill import Backfill
from shared.errors import Forbidden, NotFound
from shared.events import catalog as ev
from shared.timeutil import to_rfc3339

View = Callable[[Mapping[str, Any]], dict[str, Any]]


def get_session(uow: UnitOfWork, session_id: str) -> dict[str, Any]:
    found = uow.sessions.get(session_id)
    if found is None:
        raise NotFound(f"no session {session_id}")
    return found


def session_view(principal: Principal, mentorship: Mapping[str, Any]) -> View:
    """Notes are for the pair; admins and managers see the session without them."""
    if access.sees_private(principal, mentorship):
        return dict
    return lambda session: {k: v for k, v in session.items() if k != "notes"}


def schedule(uow: UnitOfWork, principal: Principal, mentorship_id: str, body: Mapping[str, Any],
             backfill: Backfill | None = None) -> dict[str, Any]:
    """Either member (or a program admin) schedules a session of an active pair; a past time logs a
    meeting that already happened (backfilled: created at the admin's `occurred_at`)."""
    mentorship = get_mentorship(uow, mentorship_id)
    access.check_act(principal, mentorship, "session")
    lifecycle.check_can_schedule(mentorship)

    def work(tx: UnitOfWork) -> dict[str, Any]:
        when = backfills.stamp(backfill).applied_to(schedule_history(mentorship))
        session = _new_session(mentorship, body, when.at, principal.actor_id)
        tx.sessions.insert(session, [events.session(ev.SESSION_SCHEDULED, session, backfilled=when.backfilled)])
        backfills.recorded(tx, backfill, backfills.SCHEDULED, session["session_id"], session["program_id"],
                           [session["mentor_id"], session["mentee_id"]])
        return session

    return session_view(principal, mentorship)(backfills.recording(uow, backfill, work))


def _new_session(mentorship: Mapping[str, Any], body: Mapping[str, Any], created_at: str,
                 created_by: str) -> dict[str, Any]:
    return {"session_id": str(uuid.uuid4()), "mentorship_id": mentorship["mentorship_id"],
            "program_id": mentorship["program_id"], "mentor_id": mentorship["mentor_id"],
            "mentee_id": mentorship["mentee_id"], "status": "scheduled",
            "scheduled_at": to_rfc3339(body["scheduled_at"]), "duration_minutes": body["duration_minutes"],
            "agenda": body.get("agenda"), "goal_ids": list(body.get("goal_ids") or []), "notes": None,
            "created_at": created_at, "created_by": created_by, "completed_at": None, "cancelled_at": None}


def complete(uow: UnitOfWork, principal: Principal, session_id: str, notes: str | None,
             goal_ids: list[str] | None, backfill: Backfill | None = None) -> dict[str, Any]:
    """The session was held, with the pair's private notes and the goals worked on."""
    session, mentorship = _acting_on(uow, principal, session_id)
    if notes and not access.sees_private(principal, mentorship):
        raise Forbidden("session notes are private to the pair; complete the session without notes")
    extra: dict[str, Any] = {"notes": notes, **({"goal_ids": list(goal_ids)} if goal_ids is not None else {})}
    return session_view(principal, mentorship)(_changed(uow, session, "complete", extra, backfill))


def cancel(uow: UnitOfWork, principal: Principal, session_id: str,
           backfill: Backfill | None = None) -> dict[str, Any]:
    session, mentorship = _acting_on(uow, principal, session_id)
    return session_view(principal, mentorship)(_changed(uow, session, "cancel", None, backfill))


def _changed(uow: UnitOfWork, session: Mapping[str, Any], action: str, extra: Mapping[str, Any] | None,
             backfill: Backfill | None) -> dict[str, Any]:
    """Complete or cancel, at now or at the admin's `occurred_at` (then audited in the same transaction)."""
    def work(tx: UnitOfWork) -> dict[str, Any]:
        updated = change_session(tx, session, action, extra, backfills.stamp(backfill))
        backfills.recorded(tx, backfill, backfills.SESSION_ACTIONS[action], session["session_id"],
                           session["program_id"], [session["mentor_id"], session["mentee_id"]])
        return updated

    return backfills.recording(uow, backfill, work)


def _acting_on(uow: UnitOfWork, principal: Principal, session_id: str) -> tuple[dict, dict]:
    session = get_session(uow, session_id)
    mentorship = get_mentorship(uow, session["mentorship_id"])
    access.check_act(principal, mentorship, "session")
    return session, mentorship


def read_session(uow: UnitOfWork, principal: Principal, session_id: str) -> dict[str, Any]:
    session = get_session(uow, session_id)
    return session_view(principal, readable_mentorship(uow, principal, session["mentorship_id"]))(session)


def list_sessions(uow: UnitOfWork, principal: Principal, mentorship_id: str, *, limit: int,
                  cursor: str | None) -> Page:
    view = session_view(principal, readable_mentorship(uow, principal, mentorship_id))
    found = uow.sessions.page(mentorship_id, limit=limit, cursor=cursor)
    return {**found, "items": [view(s) for s in found["items"]]}
