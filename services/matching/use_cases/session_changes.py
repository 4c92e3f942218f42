"""Completing or cancelling one session: the write both the pair's requests and a closing pair make."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.matching.domain import lifecycle
from services.matching.domain.backfill import session_history
from services.matching.use_cases import backfills, events
from services.matching.use_cases.ports import UnitOfWork
from shared.backfill import Stamp
from shared.errors import Conflict
from shared.events import catalog as ev

ANNOUNCED = {"complete": ev.SESSION_COMPLETED, "cancel": ev.SESSION_CANCELLED}


def change_session(uow: UnitOfWork, session: Mapping[str, Any], action: str,
                   extra: Mapping[str, Any] | None = None, stamp: Stamp | None = None) -> dict[str, Any]:
    """A conditional write on the status: a session leaves `scheduled` once, so a write lost to a
    concurrent complete or cancel is answered from the fresh session (a Conflict), never retried.
    `stamp` is when it happened (None: now), checked against or moved up to the session's history."""
    lifecycle.check_session_transition(session, action)
    when = (stamp or backfills.live()).applied_to(session_history(session, action))
    changes = {**lifecycle.session_transition(session, action, when.at), **(extra or {})}
    updated = {**session, **changes}
    if uow.sessions.update(session, changes, [events.session(ANNOUNCED[action], updated, backfilled=when.backfilled)]):
        return updated
    lifecycle.check_session_transition(uow.sessions.get(session["session_id"]) or session, action)
    raise Conflict("the session was changed concurrently; retry")


def cancel_scheduled(uow: UnitOfWork, mentorship_id: str, stamp: Stamp | None = None) -> None:
    """A closed pair meets no more: its scheduled sessions are cancelled (and announced), when the pair
    closed (`stamp`; None: now), or when a session was created, if that was later."""
    for session in uow.sessions.scheduled_of(mentorship_id):
        try:
            change_session(uow, session, "cancel", stamp=stamp)
        except Conflict:  # completed or cancelled meanwhile: nothing to cancel
            continue
