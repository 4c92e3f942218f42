"""The HR export: one row per person and role in the program, counts only (no notes, comments or ratings)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from services.analytics.domain.kpis import goal_completed_in, hours_to_match, program_goals
from services.analytics.domain.state import ProgramFacts

COLUMNS = ("program_id", "employee_id", "name", "department", "grade", "role", "status", "status_since",
           "matched", "hours_to_match", "active_mentorships", "ended_mentorships", "sessions_completed",
           "goals_total", "goals_completed")
ERASED = "(erased)"


def rows(facts: ProgramFacts, as_of: datetime) -> list[dict[str, Any]]:
    """One row per enrollment (current or withdrawn), ordered by department, name and role."""
    pairs = Counter((p, m["status"]) for m in facts.mentorships.values() for p in (m["mentor"], m["mentee"]))
    sessions = Counter(p for s in facts.sessions.values() if s["status"] == "completed"
                       for p in (s["mentor"], s["mentee"]))
    hours = hours_to_match(facts, facts.enrolled("mentee"))
    found = [_row(facts, pid, role, doc, pairs, sessions, hours, as_of)
             for (pid, role), doc in facts.enrollments.items()]
    return sorted(found, key=lambda r: (str(r["department"]), str(r["name"]), r["role"], str(r["employee_id"])))


def _row(facts, pid, role, enrollment, pairs, sessions, hours, as_of) -> dict[str, Any]:
    person = facts.people.get(pid)
    goals = program_goals(facts, {pid}, as_of) if role == "mentee" else []
    return {
        "program_id": facts.program_id, "employee_id": person.employee_id if person else None,
        "name": ERASED if person and person.erased else (person.name if person else None),
        "department": person.department if person else None, "grade": person.grade if person else None,
        "role": role, "status": enrollment["status"], "status_since": enrollment["at"],
        "matched": ("yes" if pid in hours else "no") if role == "mentee" else None,
        "hours_to_match": round(hours[pid], 2) if role == "mentee" and pid in hours else None,
        "active_mentorships": pairs[(pid, "active")], "ended_mentorships": pairs[(pid, "ended")],
        "sessions_completed": sessions[pid], "goals_total": len(goals) if role == "mentee" else None,
        "goals_completed": sum(goal_completed_in(facts, g, as_of) for g in goals) if role == "mentee" else None,
    }


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def to_csv(found: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in found:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return out.getvalue()
