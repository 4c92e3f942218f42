"""The writing phase of a matching run: each assignment becomes a proposed mentorship, in bulk.

Ids are derived from the run and the mentee, so writing again after a crash skips what exists.
A pair that lost its mentor slot or mentee to a concurrent hand-made match becomes unmatched.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from services.matching.domain import lifecycle
from services.matching.use_cases import events
from services.matching.use_cases.ports import UnitOfWork
from shared.timeutil import now_rfc3339

BATCH = 1000  # proposals per bulk insert


def proposal_id(run_id: str, mentee_id: str) -> str:
    """The same run proposes a mentee at most once, however often it is executed."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"tandem:matching-run:{run_id}:{mentee_id}"))


def write_proposals(uow: UnitOfWork, run_id: str) -> None:
    """Insert the run's not-yet-written proposals; mark the ones that could not be written."""
    rows = [r for r in uow.runs.results(run_id) if r["kind"] == "assignment"]
    ids = {r["seq"]: proposal_id(run_id, r["mentee_id"]) for r in rows}
    wanted = list(ids.values())
    existing = uow.mentorships.existing(wanted)
    todo = [r for r in rows if ids[r["seq"]] not in existing]
    if not todo:
        return
    run = uow.runs.get(run_id)
    slots, no_room = _mentor_slots(uow, todo)
    docs = [(r, _proposal(run, r, ids[r["seq"]], slots[r["seq"]])) for r in todo if r["seq"] not in no_room]
    backfilled = run.get("occurred_at") is not None  # a backfilled wave: its proposals are history
    lost: list[dict] = []
    for start in range(0, len(docs), BATCH):
        batch = docs[start:start + BATCH]
        failed = uow.mentorships.insert_many([(doc, events.mentorship("propose", doc, backfilled=backfilled))
                                                for _, doc in batch])
        lost += [batch[i][0] for i in failed]
    _mark_unmatched(uow, run_id, [r for r in todo if r["seq"] in no_room], "mentor_capacity_taken")
    _mark_lost(uow, run, lost)


def _mentor_slots(uow: UnitOfWork, rows: Sequence[Mapping[str, Any]]) -> tuple[dict[int, str], set[int]]:
    """A free capacity slot for each row, and the rows whose mentor filled up since the solve."""
    by_mentor: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by_mentor[r["mentor_id"]].append(r["seq"])
    held = uow.mentorships.held_slots(by_mentor)
    mentors = uow.people.get_many(by_mentor)
    slots: dict[int, str] = {}
    no_room: set[int] = set()
    for mentor_id, seqs in by_mentor.items():
        capacity = int((mentors.get(mentor_id) or {}).get("mentor_capacity") or 0)
        free = lifecycle.free_mentor_slots(mentor_id, capacity, held.get(mentor_id, set()), len(seqs))
        slots.update(zip(seqs, free, strict=False))
        no_room.update(seqs[len(free):])
    return slots, no_room


def _proposal(run: Mapping[str, Any], row: Mapping[str, Any], mentorship_id: str, slot: str) -> dict[str, Any]:
    return {"mentorship_id": mentorship_id, "program_id": run["program_id"], "mentor_id": row["mentor_id"],
            "mentee_id": row["mentee_id"], "status": "proposed", "score": row["score"],
            "breakdown": dict(row["breakdown"]), "reasons": list(row.get("reasons") or []),
            "created_at": run.get("occurred_at") or now_rfc3339(), "started_at": None, "ended_at": None,
            "end_reason": None,
            "proposed_by": run["requested_by"], "run_id": run["run_id"], "version": 1, "mentor_slot": slot,
            "mentee_slot": lifecycle.mentee_slot(run["program_id"], row["mentee_id"])}


def _mark_lost(uow: UnitOfWork, run: Mapping[str, Any], lost: Sequence[Mapping[str, Any]]) -> None:
    """Say why a proposal could not be written: the mentee was matched meanwhile, or the mentor filled up."""
    if not lost:
        return
    open_now = uow.mentorships.open_of_mentees(run["program_id"], [r["mentee_id"] for r in lost])
    taken = {m["mentee_id"] for m in open_now}
    _mark_unmatched(uow, run["run_id"], [r for r in lost if r["mentee_id"] in taken], "matched_meanwhile")
    _mark_unmatched(uow, run["run_id"], [r for r in lost if r["mentee_id"] not in taken], "mentor_capacity_taken")


def _mark_unmatched(uow: UnitOfWork, run_id: str, rows: Sequence[Mapping[str, Any]], reason: str) -> None:
    uow.runs.mark_results(run_id, [r["seq"] for r in rows], {"kind": "unmatched", "reason": reason})
