"""People leaving: a withdrawal from one program, or leaving the company (terminated or erased).

Idempotent: a departure run twice finds nothing left to do the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from services.matching.domain import reasons
from services.matching.domain.backfill import withdrawal_history
from services.matching.use_cases import backfills, events
from services.matching.use_cases.mentorships import transition
from services.matching.use_cases.ports import UnitOfWork
from shared.backfill import Stamp
from shared.errors import Conflict
from shared.events import catalog as ev

log = logging.getLogger(__name__)

WITHDRAWN, LEFT_COMPANY, ERASED = "withdrawn", "left_company", "erased"
ATTEMPTS = 3  # a concurrent enrol or withdrawal from the API can win the conditional write


def leave_program(uow: UnitOfWork, enrollment: Mapping[str, Any], reason: str = WITHDRAWN) -> None:
    """Withdraw the enrollment and end the person's open mentorships in that program."""
    _withdraw(uow, enrollment, reason)
    _end_mentorships(uow, enrollment["employee_id"], reason, enrollment["program_id"])


def leave_company(uow: UnitOfWork, employee_id: str, reason: str, stamp: Stamp | None = None) -> None:
    """Terminated (`left_company`) or erased (`erased`): out of every program, every pair ends, at
    `stamp` (None: now; a leaver HR backfilled leaves at their profile's time)."""
    if reason == ERASED:
        forget(uow, employee_id)  # first, so later writes to the same documents carry the erasure
    for enrollment in uow.enrollments.active_of(employee_id):
        _withdraw(uow, enrollment, reason, stamp)
    _end_mentorships(uow, employee_id, reason, stamp=stamp)


def forget(uow: UnitOfWork, employee_id: str) -> None:
    """Erasure: the free text of the person's pairs (agendas, notes, comments) and their goals go, the
    match reasons that name them as the mentee are rewritten without the name, and their id in the
    backfill audit trail becomes a pseudonym; ids, dates and numbers of the pairs stay."""
    ids = [m["mentorship_id"] for m in uow.mentorships.of_person(employee_id)]
    uow.sessions.forget_texts(ids)
    uow.feedback.forget_comments(ids)
    uow.people.delete_goals_of(employee_id)
    uow.mentorships.rewrite_reasons(employee_id, reasons.anonymised)
    uow.runs.rewrite_reasons(employee_id, reasons.anonymised)
    uow.backfills.pseudonymise(employee_id, backfills.pseudonym())


def _withdraw(uow: UnitOfWork, enrollment: Mapping[str, Any] | None, reason: str, stamp: Stamp | None = None) -> None:
    for _ in range(ATTEMPTS):
        if enrollment is None or enrollment["status"] != "active":
            return
        when = (stamp or backfills.live()).applied_to(withdrawal_history(enrollment))
        changes = {"status": "withdrawn", "withdrawn_at": when.at, "withdraw_reason": reason,
                   "version": enrollment["version"] + 1}
        event = events.enrollment(ev.ENROLLMENT_WITHDRAWN, {**enrollment, **changes}, when.at, reason,
                                  backfilled=when.backfilled)
        if uow.enrollments.update(enrollment, changes, [event]):
            return
        enrollment = uow.enrollments.get(enrollment["program_id"], enrollment["employee_id"])
    if enrollment is not None and enrollment["status"] == "active":
        raise Conflict("the enrollment is being changed concurrently; retry")  # a consumer retries the event


def _end_mentorships(uow: UnitOfWork, employee_id: str, reason: str, program_id: str | None = None,
                     stamp: Stamp | None = None) -> None:
    for mentorship in uow.mentorships.open_of(employee_id, program_id):
        try:
            transition(uow, mentorship, "end", reason, stamp)
        except Conflict:  # transition re-reads a lost race: a Conflict means it was closed meanwhile
            log.info("mentorship %s was closed meanwhile", mentorship["mentorship_id"])
