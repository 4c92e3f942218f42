"""The solving phase of a matching run: who is still unmatched, the optimal assignment, and why."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from services.matching.domain.assignment import solve_cohort
from services.matching.use_cases.pool import load_pool
from services.matching.use_cases.ports import UnitOfWork


def solve(uow: UnitOfWork, program: Mapping[str, Any],
          as_of: str | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Result rows (assignments, then unmatched mentees) and the audit trail of what was read; `as_of`
    (a backfilled wave) leaves out whoever enrolled after it."""
    clock = time.perf_counter()
    pool = load_pool(uow, program, as_of=as_of)
    matched = {m["mentee_id"] for m in uow.mentorships.open_in_program(program["program_id"])}
    mentees = [c for mentee_id, c in sorted(pool.mentees.items()) if mentee_id not in matched]
    model = pool.model()
    result = solve_cohort(model, mentees, pool.remaining)
    by_id = {c.employee_id: c for c in mentees}
    mentor_index = {mentor_id: j for j, mentor_id in enumerate(model.mentor_ids)}
    rows = [{"kind": "assignment", "mentee_id": a.mentee_id, "mentor_id": a.mentor_id, "score": float(a.score),
             "breakdown": dict(a.breakdown),
             "reasons": model.explain(by_id[a.mentee_id], mentor_index[a.mentor_id], a.breakdown)}
            for a in sorted(result.assignments, key=lambda a: a.mentee_id)]
    unmatched = [(u.mentee_id, u.reason) for u in result.unmatched]
    unmatched += [(m, why) for m, why in pool.unavailable.items() if m not in matched]
    rows += [{"kind": "unmatched", "mentee_id": m, "reason": why} for m, why in sorted(unmatched)]
    audit = {"program_version": program.get("version", 1), "mentees_considered": len(mentees),
             "mentors_considered": len(pool.mentors), "already_matched": len(matched),
             "rounds": result.rounds, "certificate_ok": bool(result.certificate_ok),
             "solve_ms": int((time.perf_counter() - clock) * 1000), "profile_versions": pool.versions}
    return rows, audit
