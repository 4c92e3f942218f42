"""Use cases for mentorships: propose a pair by hand, accept, decline, end, read and list."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.matching import events
from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.domain import lifecycle, people
from services.matching.domain.constraints import pair_violations
from services.matching.domain.scoring import SCORE_SCALE, ScoringModel
from services.matching.pool import Pair, load_pair
from services.matching.sessions import SessionService
from shared.errors import Conflict, NotFound
from shared.timeutil import now_rfc3339


class MentorshipService:
    def __init__(self, repos: MatchingUnitOfWork):
        self.repos = repos

    def get(self, mentorship_id: str) -> dict[str, Any]:
        found = self.repos.mentorships.get(mentorship_id)
        if found is None:
            raise NotFound(f"no mentorship {mentorship_id}")
        return found

    def propose(self, program: Mapping[str, Any], mentor_id: str, mentee_id: str, proposed_by: str) -> dict:
        """A hand-made match under the same hard constraints and capacity as a run."""
        self._check_enrolled(program["program_id"], mentor_id, "mentor")
        self._check_enrolled(program["program_id"], mentee_id, "mentee")
        for _ in range(3):
            pair = load_pair(self.repos, mentee_id, mentor_id)
            if pair is None:
                raise Conflict("one of the pair is no longer known to matching")
            mentorship = self._proposal(program, pair, proposed_by)
            event = events.mentorship("propose", mentorship)
            if self.repos.mentorships.insert(mentorship, [event]):
                return mentorship
            self._check_mentee_free(program["program_id"], mentee_id)  # else a mentor slot race: retry
        raise Conflict(f"mentor {mentor_id} has no capacity left")

    def _proposal(self, program: Mapping[str, Any], pair: Pair, proposed_by: str) -> dict[str, Any]:
        rules = people.rules(program)
        broken = pair_violations(pair.mentee, pair.mentor, rules)
        if broken:
            raise Conflict(f"this pair breaks the program's hard constraints: {', '.join(broken)}",
                           {"constraints": broken})
        self._check_mentee_free(program["program_id"], pair.mentee.employee_id)
        slots = lifecycle.free_mentor_slots(pair.mentor.employee_id, pair.capacity, pair.held_slots, 1)
        if not slots:
            raise Conflict(f"mentor {pair.mentor.employee_id} has no capacity left")
        model = ScoringModel([pair.mentor], rules, at=people.scoring_instant(program))
        scores, eligible = model.score_block([pair.mentee])
        if not eligible[0, 0]:
            raise Conflict("this pair breaks the program's hard constraints")
        breakdown = model.breakdown(pair.mentee, 0)
        mentorship_id = str(uuid.uuid4())
        return {"mentorship_id": mentorship_id, "program_id": program["program_id"],
                "mentor_id": pair.mentor.employee_id, "mentee_id": pair.mentee.employee_id, "status": "proposed",
                "score": int(scores[0, 0]) / SCORE_SCALE, "breakdown": breakdown,
                "reasons": model.explain(pair.mentee, 0, breakdown), "created_at": now_rfc3339(),
                "started_at": None, "ended_at": None, "end_reason": None, "proposed_by": proposed_by,
                "run_id": None, "version": 1, "mentor_slot": slots[0],
                "mentee_slot": lifecycle.mentee_slot(program["program_id"], pair.mentee.employee_id)}

    def _check_enrolled(self, program_id: str, employee_id: str, role: str) -> None:
        enrollment = self.repos.enrollments.get(program_id, employee_id)
        if enrollment is None or enrollment["status"] != "active" or enrollment["role"] != role:
            raise Conflict(f"{employee_id} is not enrolled in this program as a {role}")

    def _check_mentee_free(self, program_id: str, mentee_id: str) -> None:
        held = self.repos.mentorships.open_of_mentees(program_id, [mentee_id])
        if held:
            raise Conflict(f"{mentee_id} already has a {held[0]['status']} mentorship in this program")

    def transition(self, mentorship: Mapping[str, Any], action: str, reason: str | None = None) -> dict[str, Any]:
        """accept / decline / end, compare-and-set on the version; scheduled sessions of a closed pair go."""
        current = dict(mentorship)
        for _ in range(5):
            changes = lifecycle.transition(current, action, now_rfc3339(), reason)
            updated = {**current, **changes}
            if self.repos.mentorships.update(current, changes, [events.mentorship(action,
                                                                                   updated)]):
                if updated["status"] not in lifecycle.OPEN_STATUSES:
                    self._cancel_sessions(updated)
                return updated
            current = self.get(current["mentorship_id"])
        raise Conflict("the mentorship is being changed concurrently; retry")

    def _cancel_sessions(self, mentorship: Mapping[str, Any]) -> None:
        """A closed pair meets no more: its scheduled sessions are cancelled (and announced)."""
        sessions = SessionService(self.repos)
        for session in self.repos.sessions.scheduled_of(mentorship["mentorship_id"]):
            try:
                sessions.cancel(session)
            except Conflict:  # completed or cancelled meanwhile: nothing to cancel
                continue

    def page(self, query: Mapping[str, Any], *, limit: int, cursor: str | None) -> dict[str, Any]:
        where = {"program_id": query.get("program_id"), "status": query.get("status"), "limit": limit, "cursor": cursor}
        if query.get("employee_id"):
            return self.repos.mentorships.page_of_person(query["employee_id"], **where)
        return self.repos.mentorships.page(**where)
