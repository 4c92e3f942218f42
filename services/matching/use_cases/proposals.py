"""A hand-made match: a program admin pairs two people, or a mentee picks their mentor."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.matching.domain import lifecycle, people
from services.matching.domain.backfill import proposal_history
from services.matching.domain.constraints import pair_violations
from services.matching.domain.scoring import SCORE_SCALE, ScoringModel
from services.matching.use_cases import backfills, events
from services.matching.use_cases.pool import Pair, load_pair
from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.programs import get_program
from shared.backfill import Backfill, Stamp
from shared.errors import Conflict

# Two proposals (or a run) can race for a mentor's last capacity slot; the unique slot index lets one
# win, and the loser reads the mentor's slots again and takes another free one, if any is left.
ATTEMPTS = 3


def propose(uow: UnitOfWork, program_id: str, mentor_id: str, mentee_id: str, proposed_by: str,
            backfill: Backfill | None = None) -> dict:
    """A hand-made match under the same hard constraints and capacity as a run (backfilled: proposed at
    the admin's `occurred_at`, after both members' enrollments)."""
    program = get_program(uow, program_id)
    return backfills.recording(uow, backfill, lambda tx: _propose(tx, program, mentor_id, mentee_id, proposed_by,
                                                                  backfill))


def _propose(uow: UnitOfWork, program: Mapping[str, Any], mentor_id: str, mentee_id: str, proposed_by: str,
             backfill: Backfill | None) -> dict:
    enrolled = [_check_enrolled(uow, program["program_id"], mentor_id, "mentor"),
                _check_enrolled(uow, program["program_id"], mentee_id, "mentee")]
    when = backfills.stamp(backfill).applied_to(proposal_history(*enrolled))
    for _ in range(ATTEMPTS):
        pair = load_pair(uow, mentee_id, mentor_id)
        if pair is None:
            raise Conflict("one of the pair is no longer known to matching")
        mentorship = _proposal(uow, program, pair, proposed_by, when)
        if uow.mentorships.insert(mentorship, [events.mentorship("propose", mentorship, backfilled=when.backfilled)]):
            backfills.recorded(uow, backfill, backfills.PROPOSED, mentorship["mentorship_id"],
                               program["program_id"], [mentor_id, mentee_id])
            return mentorship
        _check_mentee_free(uow, program["program_id"], mentee_id)  # else a mentor slot race: retry
    raise Conflict(f"mentor {mentor_id} has no capacity left")


def _proposal(uow: UnitOfWork, program: Mapping[str, Any], pair: Pair, proposed_by: str,
              when: Stamp) -> dict[str, Any]:
    rules = people.rules(program)
    broken = pair_violations(pair.mentee, pair.mentor, rules)
    if broken:
        raise Conflict(f"this pair breaks the program's hard constraints: {', '.join(broken)}",
                       {"constraints": broken})
    _check_mentee_free(uow, program["program_id"], pair.mentee.employee_id)
    slots = lifecycle.free_mentor_slots(pair.mentor.employee_id, pair.capacity, pair.held_slots, 1)
    if not slots:
        raise Conflict(f"mentor {pair.mentor.employee_id} has no capacity left")
    model = ScoringModel([pair.mentor], rules, at=people.scoring_instant(program))
    scores, eligible = model.score_block([pair.mentee])
    if not eligible[0, 0]:
        raise Conflict("this pair breaks the program's hard constraints")
    breakdown = model.breakdown(pair.mentee, 0)
    return {"mentorship_id": str(uuid.uuid4()), "program_id": program["program_id"],
            "mentor_id": pair.mentor.employee_id, "mentee_id": pair.mentee.employee_id, "status": "proposed",
            "score": int(scores[0, 0]) / SCORE_SCALE, "breakdown": breakdown,
            "reasons": model.explain(pair.mentee, 0, breakdown), "created_at": when.at,
            "started_at": None, "ended_at": None, "end_reason": None, "proposed_by": proposed_by,
            "run_id": None, "version": 1, "mentor_slot": slots[0],
            "mentee_slot": lifecycle.mentee_slot(program["program_id"], pair.mentee.employee_id)}


def _check_enrolled(uow: UnitOfWork, program_id: str, employee_id: str, role: str) -> dict[str, Any]:
    enrollment = uow.enrollments.get(program_id, employee_id)
    if enrollment is None or enrollment["status"] != "active" or enrollment["role"] != role:
        raise Conflict(f"{employee_id} is not enrolled in this program as a {role}")
    return enrollment


def _check_mentee_free(uow: UnitOfWork, program_id: str, mentee_id: str) -> None:
    held = uow.mentorships.open_of_mentees(program_id, [mentee_id])
    if held:
        raise Conflict(f"{mentee_id} already has a {held[0]['status']} mentorship in this program")
