"""How matching went, as distributions: how long mentees waited for a match, how full the mentors are."""

from __future__ import annotations

from typing import Any

from services.analytics.domain.kpis import assigned_pairs, hours_to_match
from services.analytics.domain.state import ProgramFacts

# (label, waited at least this many hours); a mentee falls in the last bucket they reached
MATCH_WAIT_BUCKETS = (("< 3 days", 0), ("3–7 days", 72), ("1–2 weeks", 168), ("2–4 weeks", 336),
                      ("4+ weeks", 672))


def match_waits(facts: ProgramFacts) -> list[dict[str, Any]]:
    """Matched mentees by the time from their enrollment to their first started mentorship."""
    counts = {label: 0 for label, _ in MATCH_WAIT_BUCKETS}
    for hours in hours_to_match(facts, facts.enrolled("mentee")).values():
        counts[next(label for label, least in reversed(MATCH_WAIT_BUCKETS) if hours >= least)] += 1
    return [{"waited": label, "mentees": n} for label, n in counts.items()]


def mentor_load(facts: ProgramFacts) -> dict[str, int]:
    """Enrolled mentors by their proposed and active pairs against their capacity."""
    mentors = facts.enrolled("mentor")
    assigned = assigned_pairs(facts, mentors)
    load = {"without_mentee": 0, "with_room": 0, "full": 0}
    for mentor in mentors:
        capacity = facts.people[mentor].mentor_capacity if mentor in facts.people else 0
        taken = assigned[mentor]
        load["without_mentee" if not taken else "full" if taken >= capacity else "with_room"] += 1
    return load
