"""`tandem programs run-matching`: start a cohort matching run, follow it, print what it decided."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import quote

from tandem_cli.client import ServiceClient
from tandem_cli.errors import CliError, ExitCode, Refused, ServerError, Unreachable
from tandem_cli.progress import format_duration, is_terminal

POLL_RETRIES = 3  # a restarting API between two polls is not a failed run


@dataclass(frozen=True)
class RunOptions:
    program_id: str
    interval: float = 1.0
    timeout: float = 900.0
    show_progress: bool = True
    as_json: bool = False


def run_matching(client: ServiceClient, options: RunOptions, out: TextIO, err: TextIO,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> ExitCode:
    """0 when the run completed, 1 when it failed or did not finish within the timeout."""
    check_interval(options)
    run_id = start_run(client, options.program_id, err)
    run = follow_run(client, run_id, options, err, clock, sleep)
    if run is None:
        err.write(f"tandem: matching run {run_id} still running after {options.timeout:g}s; "
                  f"see GET /v1/matching-runs/{run_id}\n")
        return ExitCode.REJECTED
    out.write((json.dumps(run, indent=2) if options.as_json else summary_table(run)) + "\n")
    return ExitCode.OK if run["status"] == "completed" else ExitCode.REJECTED


def start_run(client: ServiceClient, program_id: str, err: TextIO) -> str:
    """The new run's id; when a run of the program is already going, that run's id."""
    path = f"/v1/programs/{quote(program_id, safe='')}/matching-runs"
    try:
        answer = client.json("POST", path)
    except Refused as exc:
        running = _conflicting_run(exc)
        if running is None:
            raise
        err.write(f"tandem: a matching run of this program is already running; following {running}\n")
        return running
    if not isinstance(answer, dict) or not answer.get("run_id"):
        raise ServerError(f"matching service answered the run request without a run_id: {answer!r}")
    return str(answer["run_id"])


def _conflicting_run(exc: Refused) -> str | None:
    if getattr(exc, "status", None) != 409:
        return None
    ids = (getattr(exc, "problem", {}).get("errors") or {}).get("run_id")
    return str(ids[0]) if isinstance(ids, list) and ids and ids[0] else None


def follow_run(client: ServiceClient, run_id: str, options: RunOptions, err: TextIO,
               clock: Callable[[], float], sleep: Callable[[float], None]) -> dict[str, Any] | None:
    """Poll until the run is completed or failed; None on timeout."""
    start, failures, line = clock(), 0, StatusLine(err, options.show_progress)
    try:
        while True:
            try:
                run = client.json("GET", f"/v1/matching-runs/{quote(run_id, safe='')}")
                failures = 0
            except (Unreachable, ServerError):
                failures += 1
                if failures > POLL_RETRIES:
                    raise
                run = {"status": "running", "phase": "service not answering, retrying"}
            if run.get("status") in ("completed", "failed"):
                return run
            if run.get("status") != "running":
                raise ServerError(f"matching run {run_id} has an unknown status {run.get('status')!r}")
            elapsed = clock() - start
            if elapsed >= options.timeout:
                return None
            phase = run.get("phase") or "running"
            line.show(f"matching run {run_id}: {phase}  {format_duration(elapsed)}", key=phase)
            sleep(options.interval)
    finally:
        line.clear()


class StatusLine:
    """One status line on stderr: redrawn in place on a terminal, printed when it changes otherwise."""

    def __init__(self, err: TextIO, enabled: bool):
        self.err, self.enabled, self.tty, self.last = err, enabled, enabled and is_terminal(err), None

    def show(self, text: str, key: str) -> None:
        if self.tty:
            self.err.write("\r" + text + "\x1b[K")
        elif self.enabled and key != self.last:
            self.err.write(text + "\n")
        self.last = key
        self.err.flush()

    def clear(self) -> None:
        if self.tty and self.last is not None:
            self.err.write("\r\x1b[K")
            self.err.flush()


def unmatched_by_reason(run: dict[str, Any]) -> list[tuple[str, int]]:
    """[(reason, count)], most frequent first."""
    counts = Counter(str(item.get("reason") or "unknown") for item in run.get("unmatched") or [])
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def summary_table(run: dict[str, Any]) -> str:
    """The run as a two-column table: assigned, unmatched by reason, objective, duration."""
    assigned = run.get("assignments")
    rows = [("run", run.get("run_id", "")), ("program", run.get("program_id", "")), ("status", run.get("status"))]
    if run.get("error"):
        rows.append(("error", run["error"]))
    rows.append(("assigned", len(assigned) if isinstance(assigned, list) else run.get("assigned_count", 0)))
    reasons = unmatched_by_reason(run)
    rows.append(("unmatched", sum(count for _, count in reasons) or run.get("unmatched_count") or 0))
    rows += [(f"  {reason}", count) for reason, count in reasons]
    objective = run.get("objective")
    rows.append(("objective", "-" if objective is None else f"{objective:.6f}"))
    duration = run.get("duration_ms")
    rows.append(("duration", "-" if duration is None else f"{duration / 1000:.2f}s"))
    width = max(len(label) for label, _ in rows) + 2
    return "\n".join(f"{label:<{width}}{value}" for label, value in rows)


def check_interval(options: RunOptions) -> None:
    if options.interval <= 0 or options.timeout <= 0:
        raise CliError("--interval and --timeout must be positive")
