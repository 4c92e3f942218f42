"""What a backfilled profile or goal write must not precede (shared.backfill's Stamp checks it). Pure.

HR migrating from another system brings a person's history: hired, promoted, moved, left, and the goals
they set and moved. Each version follows the person's last recorded change (over an erasure's tombstone,
the erasure); a goal is set once the person's profile exists, and moves after its own last change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.backfill import History


def of_person(stored: Mapping[str, Any] | None) -> History:
    """A new version of a person follows what is stored of them: nothing, a profile, or a tombstone."""
    if stored is None:
        return {}
    if stored.get("erased"):
        return {"the erasure": stored.get("erased_at")}
    return {"the profile's last change": stored.get("updated_at")}


def of_new_goal(person: Mapping[str, Any]) -> History:
    return {"the profile's creation": person.get("created_at")}


def of_goal(goal: Mapping[str, Any]) -> History:
    return {"the goal's last change": goal.get("updated_at")}
