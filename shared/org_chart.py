"""The management hierarchy, walked in a service's own people collection (`_id`, `manager_id`).

HR's manager data can contain cycles and runaway depth; every walk stops at a cycle or MAX_DEPTH.
"""

from __future__ import annotations

from collections.abc import Callable

from pymongo.client_session import ClientSession
from pymongo.collection import Collection

MAX_DEPTH = 50


def walk_chain(employee_id: str, manager_of: Callable[[str], str | None],
               first: str | None = None) -> tuple[str, ...]:
    """Manager, their manager, ... up to the top (`first`: the manager, when already known)."""
    chain: list[str] = []
    current = first if first is not None else manager_of(employee_id)
    while current and current != employee_id and current not in chain and len(chain) < MAX_DEPTH:
        chain.append(current)
        current = manager_of(current)
    return tuple(chain)


def reports_of(people: Collection, manager_id: str, session: ClientSession | None = None) -> set[str]:
    """Everyone below a manager, directly or indirectly (read in `session`, a unit of work's, when given)."""
    found: set[str] = set()
    frontier = [manager_id]
    for _ in range(MAX_DEPTH):
        ids = [d["_id"] for d in people.find({"manager_id": {"$in": frontier}}, {"_id": 1}, session=session)]
        frontier = [i for i in ids if i not in found and i != manager_id]
        if not frontier:
            break
        found.update(frontier)
    return found
