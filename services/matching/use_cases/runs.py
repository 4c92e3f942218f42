"""Matching runs on the API side: ask for a run, read its outcome.

The run itself executes in the worker (run_executor.py); the API never blocks on it.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.matching.use_cases import backfills
from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.programs import get_program
from services.matching.use_cases.run_proposals import proposal_id
from shared.backfill import Backfill
from shared.errors import Conflict, NotFound
from shared.timeutil import now_rfc3339

RUN_FIELDS = ("run_id", "program_id", "status", "objective", "duration_ms", "requested_by", "requested_at",
              "occurred_at", "started_at", "finished_at", "assigned_count", "unmatched_count", "error")


def program_lock(program_id: str) -> str:
    return f"running#{program_id}"


def request_run(uow: UnitOfWork, program_id: str, requested_by: str,
                backfill: Backfill | None = None) -> dict[str, Any]:
    """Queue a run for the worker; one run per program at a time (the unique `program_lock`). Backfilled,
    it is a wave at the admin's `occurred_at`: among the people enrolled by then, proposed then."""
    get_program(uow, program_id)

    def work(tx: UnitOfWork) -> dict[str, Any]:
        _check_none_running(tx, program_id)  # inside a transaction a taken lock would abort it: look first
        run = {"run_id": str(uuid.uuid4()), "program_id": program_id, "status": "running", "phase": "queued",
               "requested_by": requested_by, "requested_at": now_rfc3339(), "claimed_by": None,
               "heartbeat_at": None, "attempts": 0, "objective": None, "duration_ms": None,
               "program_lock": program_lock(program_id),
               "occurred_at": None if backfill is None else backfills.stamp(backfill).at}
        if not tx.runs.insert(run):  # another run took the lock since: name it if it is still running
            _check_none_running(tx, program_id)
            raise Conflict("a matching run for this program was started concurrently; retry")
        backfills.recorded(tx, backfill, backfills.WAVE, run["run_id"], program_id, [])
        return run

    return backfills.recording(uow, backfill, work)


def _check_none_running(uow: UnitOfWork, program_id: str) -> None:
    running = uow.runs.running_for(program_id)
    if running is not None:
        raise Conflict(f"a matching run is already running for this program: {running['run_id']}",
                       {"run_id": [running["run_id"]]})


def run_outcome(uow: UnitOfWork, run_id: str) -> dict[str, Any]:
    """The run as the API shows it: status, assignments, unmatched mentees, figures and audit trail."""
    run = uow.runs.get(run_id)
    if run is None:
        raise NotFound(f"no matching run {run_id}")
    view = {k: run.get(k) for k in RUN_FIELDS}
    completed = run["status"] == "completed"
    rows = uow.runs.results(run_id) if completed else []
    view["assignments"] = [{**{k: r[k] for k in ("mentee_id", "mentor_id", "score", "breakdown")},
                            "mentorship_id": proposal_id(run_id, r["mentee_id"])}
                           for r in rows if r["kind"] == "assignment"]
    view["unmatched"] = [{"mentee_id": r["mentee_id"], "reason": r["reason"]} for r in rows if r["kind"] == "unmatched"]
    view["audit"] = {**(run.get("audit") or {}), "attempts": run.get("attempts", 0),
                     "profile_versions": uow.runs.inputs(run_id) if completed else {}}
    return view
