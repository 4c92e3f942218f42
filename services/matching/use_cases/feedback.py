"""Feedback in a pair: a rating (and a private comment) from the mentor or the mentee."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.matching.domain import access, lifecycle
from services.matching.use_cases import events
from services.matching.use_cases.mentorships import get_mentorship
from services.matching.use_cases.ports import Page, UnitOfWork
from shared.auth import Principal
from shared.errors import Invalid
from shared.timeutil import now_rfc3339


def give_feedback(uow: UnitOfWork, principal: Principal, mentorship_id: str,
                  body: Mapping[str, Any]) -> dict[str, Any]:
    """The author is the caller and must be in the pair; only the rating goes on the bus."""
    mentorship = get_mentorship(uow, mentorship_id)
    role = access.check_feedback_author(principal, mentorship)
    lifecycle.check_can_give_feedback(mentorship)
    session_id = body.get("session_id")
    if session_id is not None:
        session = uow.sessions.get(session_id)
        if session is None or session["mentorship_id"] != mentorship_id:
            raise Invalid("session_id is not a session of this mentorship",
                          {"session_id": ["not a session of this mentorship"]})
    feedback = {"feedback_id": str(uuid.uuid4()), "mentorship_id": mentorship_id,
                "program_id": mentorship["program_id"], "session_id": session_id, "author_id": principal.employee_id,
                "author_role": role, "rating": body["rating"], "comment": body.get("comment"),
                "submitted_at": now_rfc3339()}
    uow.feedback.insert(feedback, [events.feedback_submitted(feedback)])
    return feedback


def list_feedback(uow: UnitOfWork, principal: Principal, mentorship_id: str, *, limit: int,
                  cursor: str | None) -> Page:
    """The pair reads comments; admins read ratings only."""
    pair = access.sees_private(principal, get_mentorship(uow, mentorship_id))
    if not pair:
        access.check_reads_all(principal)
    found = uow.feedback.page(mentorship_id, limit=limit, cursor=cursor)
    return {**found, "items": [f if pair else {k: v for k, v in f.items() if k != "comment"}
                               for f in found["items"]]}
