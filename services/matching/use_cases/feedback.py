"""Feedback in a pair: a rating (and a private comment) from the mentor or the mentee."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.matching.domain import access, lifecycle
from services.matching.domain.backfill import feedback_history
from services.matching.use_cases import backfills, events
from services.matching.use_cases.mentorships import get_mentorship
from services.matching.use_cases.ports import Page, UnitOfWork
from shared.auth import Principal
from shared.backfill import Backfill
from shared.errors import Invalid


def give_feedback(uow: UnitOfWork, principal: Principal, mentorship_id: str, body: Mapping[str, Any],
                  backfill: Backfill | None = None) -> dict[str, Any]:
    """The author is the caller and must be in the pair; only the rating goes on the bus. An admin
    backfilling names the author (`author_id`) instead."""
    mentorship = get_mentorship(uow, mentorship_id)
    author_id, role = _author(principal, mentorship, body, backfill)
    lifecycle.check_can_give_feedback(mentorship)
    session = _session_of(uow, mentorship_id, body.get("session_id"))

    def work(tx: UnitOfWork) -> dict[str, Any]:
        when = backfills.stamp(backfill).applied_to(feedback_history(mentorship, session))
        feedback = {"feedback_id": str(uuid.uuid4()), "mentorship_id": mentorship_id,
                    "program_id": mentorship["program_id"], "session_id": body.get("session_id"),
                    "author_id": author_id, "author_role": role, "rating": body["rating"],
                    "comment": body.get("comment"), "submitted_at": when.at}
        tx.feedback.insert(feedback, [events.feedback_submitted(feedback, backfilled=when.backfilled)])
        backfills.recorded(tx, backfill, backfills.FEEDBACK, feedback["feedback_id"], feedback["program_id"],
                           [mentorship["mentor_id"], mentorship["mentee_id"]])
        return feedback

    return backfills.recording(uow, backfill, work)


def _author(principal: Principal, mentorship: Mapping[str, Any], body: Mapping[str, Any],
            backfill: Backfill | None) -> tuple[str | None, str]:
    """(author id, their role in the pair): the caller's, or the one an admin's backfill names."""
    if backfill is not None:
        return body.get("author_id"), access.backfilled_author(mentorship, body.get("author_id"), body.get("comment"))
    if body.get("author_id") is not None:
        raise Invalid("author_id names the author of backfilled feedback; send it with occurred_at",
                      {"author_id": ["only with occurred_at, when a program admin backfills feedback"]})
    return principal.employee_id, access.check_feedback_author(principal, mentorship)


def _session_of(uow: UnitOfWork, mentorship_id: str, session_id: str | None) -> dict[str, Any] | None:
    if session_id is None:
        return None
    session = uow.sessions.get(session_id)
    if session is None or session["mentorship_id"] != mentorship_id:
        raise Invalid("session_id is not a session of this mentorship",
                      {"session_id": ["not a session of this mentorship"]})
    return session


def list_feedback(uow: UnitOfWork, principal: Principal, mentorship_id: str, *, limit: int,
                  cursor: str | None) -> Page:
    """The pair reads comments; admins read ratings only."""
    pair = access.sees_private(principal, get_mentorship(uow, mentorship_id))
    if not pair:
        access.check_reads_all(principal)
    found = uow.feedback.page(mentorship_id, limit=limit, cursor=cursor)
    return {**found, "items": [f if pair else {k: v for k, v in f.items() if k != "comment"}
                               for f in found["items"]]}
