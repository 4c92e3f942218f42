"""Use cases for matching runs on the API side: ask for a run, read its outcome.

The run itself executes in the worker (run_executor.py); the API never blocks on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.proposals import proposal_id
from shared.errors import Conflict, NotFound
from shared.timeutil import now_rfc3339

RUN_FIELDS = ("run_id", "program_id", "status", "objective", "duration_ms", "requested_by", "requested_at",
              "started_at", "finished_at", "assigned_count", "unmatched_count", "error")


def program_lock(program_id: str) -> str:
    return f"running#{program_id}"


class RunService:
    def __init__(self, repos: MatchingUnitOfWork):
        self.repos = repos

    def request(self, program: Mapping[str, Any], requested_by: str) -> dict[str, Any]:
        """Queue a run for the worker; one run per program at a time."""
        run = {"run_id": str(uuid.uuid4()), "program_id": program["program_id"], "status": "running",
               "phase": "queued", "requested_by": requested_by, "requested_at": now_rfc3339(),
               "claimed_by": None, "heartbeat_at": None, "attempts": 0, "objective": None, "duration_ms": None,
               "program_lock": program_lock(program["program_id"])}
        if not self.repos.runs.insert(run):
            running = self.repos.runs.running_for(program["program_id"])
            raise Conflict(f"a matching run is already running for this program: {(running or {}).get('run_id')}",
                           {"run_id": [(running or {}).get("run_id")]})
        return run

    def get(self, run_id: str) -> dict[str, Any]:
        run = self.repos.runs.get(run_id)
        if run is None:
            raise NotFound(f"no matching run {run_id}")
        return run

    def outcome(self, run: Mapping[str, Any]) -> dict[str, Any]:
        """The run as the API shows it: status, assignments, unmatched mentees, figures and audit trail."""
        view = {k: run.get(k) for k in RUN_FIELDS}
        completed = run["status"] == "completed"
        rows = self.repos.runs.results(run["run_id"]) if completed else []
        view["assignments"] = [{**{k: r[k] for k in ("mentee_id", "mentor_id", "score", "breakdown")},
                                "mentorship_id": proposal_id(run["run_id"], r["mentee_id"])}
                               for r in rows if r["kind"] == "assignment"]
        view["unmatched"] = [{"mentee_id": r["mentee_id"], "reason": r["reason"]}
                             for r in rows if r["kind"] == "unmatched"]
        view["audit"] = {**(run.get("audit") or {}), "attempts": run.get("attempts", 0),
                         "profile_versions": self.repos.runs.inputs(run["run_id"]) if completed else {}}
        return view
