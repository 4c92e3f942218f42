"""Matching runs on the API side: ask for a run, read its outcome.

The run itself executes in the worker (run_executor.py); the API never blocks on it.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.programs import get_program
from services.matching.use_cases.run_proposals import proposal_id
from shared.errors import Conflict, NotFound
from shared.timeutil import now_rfc3339

RUN_FIELDS = ("run_id", "program_id", "status", "objective", "duration_ms", "requested_by", "requested_at",
              "started_at", "finished_at", "assigned_count", "unmatched_count", "error")


def program_lock(program_id: str) -> str:
    return f"running#{program_id}"


def request_run(uow: UnitOfWork, program_id: str, requested_by: str) -> dict[str, Any]:
    """Queue a run for the worker; one run per program at a time (the unique `program_lock`)."""
    get_program(uow, program_id)
    run = {"run_id": str(uuid.uuid4()), "program_id": program_id, "status": "running", "phase": "queued",
           "requested_by": requested_by, "requested_at": now_rfc3339(), "claimed_by": None, "heartbeat_at": None,
           "attempts": 0, "objective": None, "duration_ms": None, "program_lock": program_lock(program_id)}
    if not uow.runs.insert(run):
        running = (uow.runs.running_for(program_id) or {}).get("run_id")
        raise Conflict(f"a matching run is already running for this program: {running}", {"run_id": [running]})
    return run


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
