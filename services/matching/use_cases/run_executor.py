"""Executes matching runs in the worker: claim, solve, record results, write proposals, complete.

Each phase is recorded on the run, and proposals get ids derived from the run and the mentee, so a
run whose worker died is picked up again (after its heartbeat goes stale) and finishes without
proposing anyone twice.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from services.matching.use_cases import events
from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.run_proposals import write_proposals
from services.matching.use_cases.run_solver import solve
from shared.timeutil import now_rfc3339, parse_rfc3339, utcnow

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class RunPolicy:
    """How executors share runs: a run without a heartbeat for `stale_after` is taken over."""

    stale_after: timedelta = timedelta(minutes=10)
    heartbeat_seconds: float = 30.0
    max_attempts: int = 3


class RunExecutor:
    """One worker's executor; `on_completed(seconds)` hears how long each completed run took."""

    def __init__(self, uow: UnitOfWork, holder: str, policy: RunPolicy | None = None,
                 on_completed: Callable[[float], None] | None = None):
        self.uow, self.holder, self.policy = uow, holder, policy or RunPolicy()
        self._on_completed = on_completed or (lambda seconds: None)

    def tick(self) -> bool:
        """Execute one claimable run, if any; True when one was handled."""
        now = utcnow()
        run = self.uow.runs.claim(self.holder, now, now - self.policy.stale_after)
        if run is None:
            return False
        try:
            self.execute(run)
        except Exception as exc:  # the run fails visibly instead of hanging in `running`
            log.exception("matching run %s failed", run["run_id"])
            self._finish_failed(run, f"{type(exc).__name__}: {exc}"[:500])
        return True

    def execute(self, run: Mapping[str, Any]) -> None:
        if run.get("attempts", 1) > self.policy.max_attempts:
            self._finish_failed(run, f"gave up after {self.policy.max_attempts} attempts")
            return
        started = run.get("started_at") or now_rfc3339()
        clock = time.perf_counter()
        program = self.uow.programs.get(run["program_id"])
        if program is None:
            self._finish_failed(run, "the program no longer exists")
            return
        with self._heartbeat(run):  # a long solve or write must not look like a dead worker
            if run.get("phase") == "queued":
                rows, audit = solve(self.uow, program, run.get("occurred_at"))
                self.uow.runs.write_results(run["run_id"], rows)
                self.uow.runs.write_inputs(run["run_id"], audit.pop("profile_versions"))
                self._save(run, {"phase": "solved", "started_at": started, "audit": audit})
            writing = time.perf_counter()
            write_proposals(self.uow, run["run_id"])
        self._complete(run, started, clock, int((time.perf_counter() - writing) * 1000))

    def _complete(self, run: Mapping[str, Any], started: str, clock: float, write_ms: int) -> None:
        rows = self.uow.runs.results(run["run_id"])
        assigned = [r for r in rows if r["kind"] == "assignment"]
        finished = utcnow()
        duration_ms = int((finished - parse_rfc3339(started)).total_seconds() * 1000)
        done = {**run, "status": "completed", "phase": "done", "finished_at": now_rfc3339(),
                "duration_ms": duration_ms, "objective": round(float(sum(r["score"] for r in assigned)), 6),
                "assigned_count": len(assigned), "unmatched_count": len(rows) - len(assigned),
                "program_lock": f"done#{run['run_id']}", "started_at": started}
        changes = {k: done[k] for k in ("status", "phase", "finished_at", "duration_ms", "objective",
                                        "assigned_count", "unmatched_count", "program_lock", "started_at")}
        changes["audit.write_ms"] = write_ms
        if self._save(run, changes, [events.run_completed(done)]):
            self._on_completed(duration_ms / 1000)
            log.info("matching run %s: %d assigned, %d unmatched, objective %.6f in %d ms (this attempt %.1f s)",
                     run["run_id"], len(assigned), len(rows) - len(assigned), done["objective"], duration_ms,
                     time.perf_counter() - clock)

    @contextlib.contextmanager
    def _heartbeat(self, run: Mapping[str, Any]) -> Iterator[None]:
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self.policy.heartbeat_seconds):
                self.uow.runs.save(run["run_id"], self.holder, {"heartbeat_at": utcnow()})

        thread = threading.Thread(target=beat, name=f"heartbeat-{run['run_id']}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)

    def _finish_failed(self, run: Mapping[str, Any], error: str) -> None:
        self._save(run, {"status": "failed", "phase": "done", "error": error, "finished_at": now_rfc3339(),
                         "program_lock": f"done#{run['run_id']}"})

    def _save(self, run: Mapping[str, Any], changes: Mapping[str, Any], emitted=()) -> bool:
        saved = self.uow.runs.save(run["run_id"], self.holder, {**changes, "heartbeat_at": utcnow()}, emitted)
        if not saved:
            log.warning("matching run %s was taken over by another worker", run["run_id"])
        return saved
