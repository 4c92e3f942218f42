"""People leaving: a withdrawal from one program, or leaving the company (terminated or erased)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from services.matching import events
from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.mentorships import MentorshipService
from shared.errors import Conflict
from shared.events import catalog as ev
from shared.timeutil import now_rfc3339

log = logging.getLogger(__name__)

WITHDRAWN, LEFT_COMPANY, ERASED = "withdrawn", "left_company", "erased"


class Departures:
    """Idempotent: running a departure twice finds nothing left to do the second time."""

    def __init__(self, repos: MatchingUnitOfWork):
        self.repos = repos

    def leave_program(self, enrollment: Mapping[str, Any], reason: str = WITHDRAWN) -> None:
        """Withdraw the enrollment and end the person's open mentorships in that program."""
        self._withdraw(enrollment, reason)
        self._end_mentorships(enrollment["employee_id"], reason, enrollment["program_id"])

    def leave_company(self, employee_id: str, reason: str) -> None:
        """Terminated (`left_company`) or erased (`erased`): out of every program, every pair ends."""
        if reason == ERASED:
            self._forget(employee_id)  # first, so later writes to the same documents carry the erasure
        for enrollment in self.repos.enrollments.active_of(employee_id):
            self._withdraw(enrollment, reason)
        self._end_mentorships(employee_id, reason)

    def _withdraw(self, enrollment: Mapping[str, Any], reason: str) -> None:
        for _ in range(5):
            if enrollment is None or enrollment["status"] != "active":
                return
            now = now_rfc3339()
            changes = {"status": "withdrawn", "withdrawn_at": now, "withdraw_reason": reason,
                       "version": enrollment["version"] + 1}
            event = events.enrollment(ev.ENROLLMENT_WITHDRAWN, {**enrollment, **changes}, now, reason)
            if self.repos.enrollments.update(enrollment, changes, [event]):
                return
            enrollment = self.repos.enrollments.get(enrollment["program_id"], enrollment["employee_id"])
        if enrollment is not None and enrollment["status"] == "active":
            raise Conflict("the enrollment is being changed concurrently; retry")  # a consumer retries the event

    def _end_mentorships(self, employee_id: str, reason: str, program_id: str | None = None) -> None:
        service = MentorshipService(self.repos)
        for mentorship in self.repos.mentorships.open_of(employee_id, program_id):
            try:
                service.transition(mentorship, "end", reason)
            except Conflict:  # transition re-reads a lost race: a Conflict means it was closed meanwhile
                log.info("mentorship %s was closed meanwhile", mentorship["mentorship_id"])

    def _forget(self, employee_id: str) -> None:
        """Erasure: free text the person wrote or shared goes; ids, dates and numbers stay."""
        ids = [m["mentorship_id"] for m in self.repos.mentorships.of_person(employee_id)]
        self.repos.sessions.forget_texts(ids)
        self.repos.feedback.forget_comments_by(employee_id, ids)
        self.repos.people.delete_goals_of(employee_id)
