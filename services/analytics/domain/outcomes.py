"""Career outcomes: promotions and departures of participants against colleagues in the same departments.

* participants: everyone ever enrolled in the program (a withdrawal does not undo having taken part);
* comparison group: everyone else whose current department is one of the participants' departments;
* both groups count only people employed at some point in the window: known by its end and not
  already terminated at its start;
* promoted: a profile version inside the window raised the grade; left: a version inside the window
  changed `employment_status` to `terminated`.
A group smaller than the minimum group size shows its size only, so no one can be singled out.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from services.analytics.domain.kpis import ratio
from services.analytics.domain.state import Person, ProgramFacts
from services.analytics.domain.times import moment
from services.analytics.domain.window import Window, program_window
from shared.timeutil import to_rfc3339


def employed_during(person: Person, window: Window) -> bool:
    if not person.history or moment(person.history[0]["at"]) > window.end:
        return False
    before = [h for h in person.history if window.start is not None and moment(h["at"]) < window.start]
    return not before or before[-1]["employment_status"] != "terminated"


def changes_in(person: Person, window: Window) -> tuple[bool, bool]:
    """(promoted, left) inside the window, from consecutive profile versions."""
    promoted = left = False
    for previous, current in zip(person.history, person.history[1:], strict=False):
        if not window.contains(current["at"]):
            continue
        promoted |= current["grade"] > previous["grade"]
        left |= current["employment_status"] == "terminated" and previous["employment_status"] != "terminated"
    return promoted, left


def cohort(people: Iterable[Person], window: Window, min_size: int) -> dict[str, Any]:
    members = [p for p in people if employed_during(p, window)]
    if len(members) < min_size:
        return {"people": len(members), "promoted": None, "promotion_rate": None, "left": None,
                "attrition_rate": None, "suppressed": True}
    changes = [changes_in(p, window) for p in members]
    promoted, left = sum(c[0] for c in changes), sum(c[1] for c in changes)
    return {"people": len(members), "promoted": promoted, "promotion_rate": ratio(promoted, len(members)),
            "left": left, "attrition_rate": ratio(left, len(members)), "suppressed": False}


def outcomes(facts: ProgramFacts, min_size: int, as_of: datetime) -> dict[str, Any]:
    """Promotion and attrition of participants and of their departments' other people, over the program's dates."""
    window = program_window(facts.program, as_of)
    taking_part = facts.ever_enrolled()
    known = facts.people
    participants = [known[p] for p in sorted(taking_part) if p in known]
    departments = sorted({p.department for p in participants if p.department})
    others = [p for pid, p in known.items() if pid not in taking_part and p.department in departments]
    return {"window": {"from": to_rfc3339(window.start) if window.start else None, "to": to_rfc3339(window.end)},
            "departments": departments, "participants": cohort(participants, window, min_size),
            "non_participants": cohort(others, window, min_size), "min_group_size": min_size,
            "as_of": to_rfc3339(as_of)}
