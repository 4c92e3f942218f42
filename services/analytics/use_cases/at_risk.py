"""Use case of the at-risk report: the report's pairs at risk, named for the program admin who reads them.

The stored report keeps people only as pseudonyms; names and employee ids are read from the people's
own profile facts when the report is shown, so an erased person is never named by an older report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from services.analytics.domain import facts as f
from services.analytics.domain import state
from services.analytics.use_cases.ports import UnitOfWork
from shared.errors import Invalid
from shared.pagination import decode_cursor, encode_cursor


def named(uow: UnitOfWork, pairs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The pairs with each member's employee id, name and department (None once erased or not known)."""
    pairs = list(pairs)
    people = state.people(uow.facts.of_people(f.PEOPLE, {p[r] for p in pairs for r in ("mentor", "mentee")}))
    return [_named(pair, people) for pair in pairs]


def _named(pair: Mapping[str, Any], people: Mapping[str, state.Person]) -> dict[str, Any]:
    found = {k: v for k, v in pair.items() if k not in ("mentor", "mentee")}
    for role in ("mentor", "mentee"):
        person = people.get(pair[role])
        found[f"{role}_id"] = person.employee_id if person else None
        found[f"{role}_name"] = person.name if person else None
        found[f"{role}_department"] = person.department if person else None
    return found


def page(uow: UnitOfWork, report: Mapping[str, Any], limit: int, cursor: str | None) -> dict[str, Any]:
    """One page of the report's pairs at risk in mentorship id order (a stable order to page through)."""
    after = _after(cursor)
    remaining = sorted((p for p in report["at_risk"] if after is None or p["mentorship_id"] > after),
                       key=lambda p: p["mentorship_id"])
    shown = remaining[:limit]
    more = len(remaining) > limit
    return {"items": named(uow, shown), "next_cursor": encode_cursor(shown[-1]["mentorship_id"]) if more else None,
            "as_of": report["as_of"]}


def _after(cursor: str | None) -> str | None:
    if not cursor:
        return None
    value = decode_cursor(cursor)
    if not isinstance(value, str):
        raise Invalid("cursor is not valid", {"cursor": ["not a cursor this API returned"]})
    return value
