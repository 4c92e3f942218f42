"""An in-memory Directory (services/profiles/use_cases/ports.py) beside the fakes of fakes.py.

It answers what the use cases ask of it: who holds a userName, every provisioned person, and `eq`
lookups. Filter semantics are the store's, so they are tested against the real store
(tests/integration/profiles/test_scim_filters.py), not re-implemented here.
"""

from __future__ import annotations

import copy
from typing import Any

from services.profiles.domain.scim_search import Condition, Query
from services.profiles.domain.scim_users import is_provisioned
from tests.unit.profiles.fakes import FakePeople, FakeUnitOfWork


class FakeDirectory:
    def __init__(self, people: FakePeople) -> None:
        self._people = people

    def holder_of(self, user_name_key: str) -> str | None:
        return next((i for i, d in self._people.docs.items()
                     if is_provisioned(d) and d["scim"]["user_name_key"] == user_name_key), None)

    def search(self, query: Query | None, *, start: int, count: int) -> tuple[int, list[dict[str, Any]]]:
        found = [copy.deepcopy(d) for _, d in sorted(self._people.docs.items())
                 if is_provisioned(d) and (query is None or _equal(query, d))]
        return len(found), found[start - 1:start - 1 + count]


def _equal(query: Query, doc: dict[str, Any]) -> bool:
    assert isinstance(query, Condition) and query.op == "eq", "the fake answers eq lookups only"
    value: Any = doc
    for part in query.field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value == query.value


class FakeProvisioningUnit(FakeUnitOfWork):
    """What ProfilesUnitOfWork gives a provisioning use case, in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.directory = FakeDirectory(self.people)
