"""The HR export: one row per person and role in the program, counts only (no notes, comments or ratings)."""

from __future__ import annotations

import csv
import io
import unicodedata
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


# What a spreadsheet may take as the start of a formula, in ASCII and in full width (U+FF1D, FF0B, FF0D, FF20).
FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
INVISIBLE = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp"))  # controls, format characters, spaces, separators


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet could run as a formula gets a leading `'` (OWASP, CSV injection): text that
    starts with = + - @ or their full-width forms, or with any whitespace, control or invisible format
    character, which spreadsheets skip, or read as a line or cell break, before they look for one."""
    if value is None:
        return ""
    if isinstance(value, str) and value and (value[0] in FORMULA_START or _invisible(value[0])):
        return "'" + value
    return value


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in INVISIBLE


def to_csv(found: Iterable[dict[str, Any]]) -> str:
    """The rows as CSV; every text cell is quoted, so a `;` or a tab (the separators of other locales)
    inside one cannot start a new cell there. The header is the fixed column names, unquoted."""
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\r\n")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    for row in found:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return out.getvalue()
