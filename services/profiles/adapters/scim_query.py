"""A planned SCIM search (domain/scim_search.py) as a filter on `profiles_people`.

Shapes matter on the store: the lookups an identity provider makes before every push (`userName eq`,
`externalId eq`, `emails.value eq`) become a single-field equality, or one with only the "provisioned"
condition beside it, which the partial indexes of adapters/indexes.py absorb; anything else is
correct, and may scan the provisioned people.
"""

from __future__ import annotations

import re
from typing import Any

from services.profiles.domain.scim_search import Condition, Junction, Negation, Query

PROVISIONED = "scim.user_name_key"  # set on exactly the people a provider created (a sparse unique index)
# Every key is a string, so `$gte ""` holds exactly where it is set. Said this way rather than `$exists`, it is
# the partial filter of the SCIM indexes too, which MongoDB and SecantusDB both see a query implies.
IS_PROVISIONED = {PROVISIONED: {"$gte": ""}}
_ORDER = {"gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte"}
_PRESENT = {"$exists": True, "$nin": [None, "", []]}
_IMPLIES_PRESENT = {"$regex", "$options", "$gt", "$gte", "$lt", "$lte", "$exists", "$nin"}


def users_filter(query: Query | None) -> dict[str, Any]:
    """The provisioned people `query` asks for (None: all of them)."""
    if query is None:
        return dict(IS_PROVISIONED)
    found = to_mongo(query)
    if set(found) == {PROVISIONED} and _implies_present(found[PROVISIONED]):
        return found
    if PROVISIONED not in found and not any(key.startswith("$") for key in found):
        return {**found, **IS_PROVISIONED}
    return {"$and": [IS_PROVISIONED, found]}


def to_mongo(query: Query) -> dict[str, Any]:
    if isinstance(query, Junction):
        parts = [to_mongo(part) for part in query.parts]
        return (_merged(parts) or {"$and": parts}) if query.op == "and" else {"$or": parts}
    if isinstance(query, Negation):
        return {"$nor": [to_mongo(query.inner)]}
    return {query.field: _condition(query)}


def _condition(condition: Condition) -> Any:
    op, value, kind = condition.op, condition.value, condition.kind
    if op == "pr":
        return _PRESENT
    if kind == "active":  # `active eq true` is anyone not terminated
        return {"$ne": "terminated"} if value == (op == "eq") else "terminated"
    if kind == "text" or op in ("co", "sw", "ew"):
        pattern = _pattern(op, value, ignore_case=kind == "text")
        return {"$not": pattern} if op == "ne" else pattern
    if op in _ORDER:
        return {_ORDER[op]: value}
    return {"$ne": value} if op == "ne" else value


def _pattern(op: str, value: str, *, ignore_case: bool) -> dict[str, str]:
    """The literal `value` as a regular expression (escaped: a filter never becomes a pattern). Stored text
    is one line (shared.schemas.single_line), so `$` is the end of the value. The `$regex` operator, not a
    BSON regex value: SecantusDB 0.7.0b3 matches nothing with the latter on an indexed field."""
    text = re.escape(value)
    anchored = {"eq": f"^{text}$", "ne": f"^{text}$", "co": text, "sw": f"^{text}", "ew": f"{text}$"}[op]
    return {"$regex": anchored, "$options": "i" if ignore_case else ""}


def _merged(parts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """`a and b` on different fields as one document (what a store's planner reads best), when it can be."""
    keys = [key for part in parts for key in part]
    if len(keys) != len(set(keys)) or any(key.startswith("$") for key in keys):
        return None
    return {key: value for part in parts for key, value in part.items()}


def _implies_present(condition: Any) -> bool:
    return isinstance(condition, str) or (isinstance(condition, dict) and set(condition) <= _IMPLIES_PRESENT)
