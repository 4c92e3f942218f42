"""Breakdowns by department or grade, never showing a group small enough to single someone out.

Groups with fewer than `min_size` participants are merged into "other". If "other" then still has
fewer than `min_size` people, the smallest named groups are merged into it one by one until it is
large enough; if the whole program is smaller than `min_size`, no group is shown at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from services.analytics.domain.kpis import summary
from services.analytics.domain.state import Person, ProgramFacts

OTHER, UNKNOWN = "other", "unknown"
DIMENSIONS: dict[str, Callable[[Person | None], str]] = {
    "department": lambda p: p.department if p and p.department else UNKNOWN,
    "grade": lambda p: str(p.grade) if p and p.grade is not None else UNKNOWN,
}


def suppress_small_groups(groups: Mapping[str, set[str]], min_size: int) -> dict[str, set[str]]:
    """Merge groups below `min_size` into "other" so that every group shown has at least `min_size` people."""
    kept = {name: set(members) for name, members in groups.items() if len(members) >= min_size and name != OTHER}
    other: set[str] = set().union(*(m for n, m in groups.items() if n not in kept))
    while other and len(other) < min_size and kept:
        smallest = min(kept, key=lambda n: (len(kept[n]), n))
        other |= kept.pop(smallest)
    if other and len(other) >= min_size:
        kept[OTHER] = other
    return kept


def group_members(facts: ProgramFacts, by: str) -> dict[str, set[str]]:
    """Current participants by their current department or grade."""
    label = DIMENSIONS[by]
    groups: dict[str, set[str]] = {}
    for pid in facts.participants():
        groups.setdefault(label(facts.people.get(pid)), set()).add(pid)
    return groups


def breakdown(facts: ProgramFacts, by: str, min_size: int, as_of: datetime) -> list[dict[str, Any]]:
    """One item per shown group: its name, its size and its summary KPIs; largest groups first, "other" last."""
    shown = suppress_small_groups(group_members(facts, by), min_size)
    order = sorted(shown, key=lambda n: (n == OTHER, -len(shown[n]), n))
    return [{"group": name, "people": len(shown[name]), **summary(facts, as_of, shown[name])} for name in order]
