"""In-memory fakes of the profiles ports (services/profiles/use_cases/ports.py) and a unit of work on them.

Each fake keeps what the Mongo adapter keeps: documents by id and, per document, the events still to be
published (its outbox). `before_write` lets a test play a concurrent writer that lands between a use
case's read and its write. `atomically` is a transaction: what its own work wrote (not what such a
concurrent writer wrote) is undone when it fails, and a LostRace runs it again.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from services.profiles.use_cases.ports import Page, ProfileFilter
from shared.errors import Conflict
from shared.events import Event
from shared.pagination import decode_cursor, encode_cursor
from shared.unit_of_work import LostRace


class _Documents:
    def __init__(self) -> None:
        self.docs: dict[str, dict[str, Any]] = {}
        self.outbox: dict[str, list[Event]] = {}
        self.before_write: Callable[[], None] = lambda: None
        self.undo: list[Callable[[], None]] | None = None  # while a transaction is open: how to undo its writes

    def _get(self, key: str) -> dict[str, Any] | None:
        return copy.deepcopy(self.docs.get(key))

    def _concurrently(self) -> None:
        """The concurrent writer of `before_write`: its writes stand on their own, no transaction undoes them."""
        undo, self.undo = self.undo, None
        try:
            self.before_write()
        finally:
            self.undo = undo

    def _remember(self, key: str) -> None:
        """Before a write inside a transaction: how to put the document back."""
        if self.undo is None:
            return
        doc, events = copy.deepcopy(self.docs.get(key)), list(self.outbox.get(key, []))

        def put_back() -> None:
            self.docs.pop(key, None), self.outbox.pop(key, None)
            if doc is not None:
                self.docs[key], self.outbox[key] = doc, events

        self.undo.append(put_back)

    def _insert(self, key: str, doc: Mapping[str, Any], events: Sequence[Event]) -> bool:
        self._concurrently()
        if key in self.docs:
            return False
        self._remember(key)
        self.docs[key], self.outbox[key] = {"_id": key, **copy.deepcopy(dict(doc))}, list(events)
        return True

    def _update(self, key: str, version: int, doc: Mapping[str, Any], events: Sequence[Event],
                unset: Iterable[str] = ()) -> bool:
        self._concurrently()
        stored = self.docs.get(key)
        if stored is None or stored.get("version") != version:
            return False
        self._remember(key)
        stored.update(copy.deepcopy(dict(doc)))
        for name in unset:
            stored.pop(name, None)
        self.outbox[key].extend(events)
        return True

    def _page(self, docs: Iterable[dict[str, Any]], limit: int, cursor: str | None) -> Page:
        after = decode_cursor(cursor) if cursor else None
        ordered = sorted((d for d in docs if after is None or d["_id"] > after), key=lambda d: d["_id"])
        items = [copy.deepcopy(d) for d in ordered[:limit]]
        return {"items": items, "next_cursor": encode_cursor(items[-1]["_id"]) if len(ordered) > limit else None}


class FakePeople(_Documents):
    def get(self, employee_id: str) -> dict[str, Any] | None:
        return self._get(employee_id)

    def get_many(self, employee_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {i: self._get(i) for i in employee_ids if i in self.docs}

    def insert(self, profile: Mapping[str, Any], events: Sequence[Event]) -> bool:
        return self._insert(profile["employee_id"], profile, events)

    def update(self, employee_id: str, version: int, profile: Mapping[str, Any], events: Sequence[Event],
               unset: Iterable[str] = ()) -> bool:
        return self._update(employee_id, version, profile, events, unset)

    def erase(self, employee_id: str, version: int, tombstone: Mapping[str, Any], event: Event) -> bool:
        self._concurrently()
        if self.docs.get(employee_id, {}).get("version") != version:
            return False
        self._remember(employee_id)
        self.docs[employee_id], self.outbox[employee_id] = {"_id": employee_id, **tombstone}, [event]
        return True

    def write_many(self, creates: Sequence[tuple[dict, Sequence[Event]]],
                   updates: Sequence[tuple[dict, int, Sequence[Event]]]) -> set[str]:
        self._concurrently()  # a concurrent writer lands once, before the whole batch
        before, self.before_write = self.before_write, lambda: None
        lost = {p["employee_id"] for p, e in creates if not self.insert(p, e)}
        lost |= {p["employee_id"] for p, v, e in updates if not self.update(p["employee_id"], v, p, e)}
        self.before_write = before
        return lost

    def manager_of(self, employee_id: str) -> str | None:
        return self.docs.get(employee_id, {}).get("manager_id")

    def reports_of(self, manager_id: str) -> set[str]:
        found, frontier = set(), {manager_id}
        while frontier:
            frontier = {i for i, d in self.docs.items() if d.get("manager_id") in frontier} - found - {manager_id}
            found |= frontier
        return found

    def page(self, which: ProfileFilter, *, limit: int, cursor: str | None) -> Page:
        return self._page((d for d in self.docs.values() if _listed(d, which)), limit, cursor)

    def events_of(self, employee_id: str) -> list[str]:
        """The types of the person's events still to be published, in order."""
        return [e.type for e in self.outbox.get(employee_id, [])]


def _listed(doc: Mapping[str, Any], which: ProfileFilter) -> bool:
    checks = [not doc.get("erased"), which.department in (None, doc.get("department")),
              which.manager_id in (None, doc.get("manager_id")), which.role in (None, *doc.get("roles", [])),
              which.skill in (None, *(s["name"] for s in doc.get("skills", []))),
              which.among is None or doc["_id"] in which.among]
    return all(checks)


class FakeGoals(_Documents):
    def get(self, goal_id: str) -> dict[str, Any] | None:
        return self._get(goal_id)

    def insert(self, goal: Mapping[str, Any], events: Sequence[Event]) -> None:
        self._insert(goal["goal_id"], goal, events)

    def update(self, goal_id: str, version: int, goal: Mapping[str, Any], events: Sequence[Event]) -> bool:
        return self._update(goal_id, version, goal, events)

    def page_of(self, employee_id: str, *, limit: int, cursor: str | None) -> Page:
        return self._page((d for d in self.docs.values() if d["employee_id"] == employee_id), limit, cursor)

    def delete_of(self, employee_id: str) -> int:
        mine = [k for k, d in self.docs.items() if d["employee_id"] == employee_id]
        for key in mine:
            self._remember(key)
            del self.docs[key], self.outbox[key]
        return len(mine)


class FakeBackfills:
    """The audit trail: entries in the order recorded."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.undo: list[Callable[[], None]] | None = None

    def _remember(self) -> None:
        if self.undo is not None:
            kept = copy.deepcopy(self.entries)
            self.undo.append(lambda: setattr(self, "entries", kept))

    def record(self, entries: Sequence[Mapping[str, Any]]) -> None:
        self._remember()
        self.entries += [{"audit_id": f"a{len(self.entries) + n}", **e} for n, e in enumerate(entries)]

    def page(self, *, limit: int, cursor: str | None) -> Page:
        start = decode_cursor(cursor) if cursor else 0
        items = copy.deepcopy(self.entries[start:start + limit])
        return {"items": items, "next_cursor": encode_cursor(start + limit) if start + limit < len(self.entries)
                else None}

    def pseudonymise(self, employee_id: str, pseudonym: str) -> None:
        self._remember()
        for entry in self.entries:
            entry["employee_ids"] = sorted(pseudonym if e == employee_id else e for e in entry["employee_ids"])
            for name in ("aggregate_id", "by"):
                entry[name] = pseudonym if entry[name] == employee_id else entry[name]


class FakeUnitOfWork:
    """What ProfilesUnitOfWork gives a use case, in memory."""

    ATTEMPTS = 5

    def __init__(self) -> None:
        self.people, self.goals, self.backfills = FakePeople(), FakeGoals(), FakeBackfills()
        self.commits = 0  # transactions `atomically` committed

    def atomically(self, work: Callable[[FakeUnitOfWork], Any]) -> Any:
        if self.people.undo is not None:
            return work(self)
        for _ in range(self.ATTEMPTS):
            undo: list[Callable[[], None]] = []
            self.people.undo = self.goals.undo = self.backfills.undo = undo
            try:
                done = work(self)
            except LostRace:
                _roll_back(undo)
                continue
            except BaseException:
                _roll_back(undo)
                raise
            finally:
                self.people.undo = self.goals.undo = self.backfills.undo = None
            self.commits += 1
            return done
        raise Conflict("this history is being changed concurrently; retry")


def _roll_back(undo: list[Callable[[], None]]) -> None:
    for step in reversed(undo):
        step()


def once(action: Callable[[], None]) -> Callable[[], None]:
    """`action` the first time only: a concurrent writer that lands once (for `before_write`)."""
    done: list[bool] = []

    def run() -> None:
        if not done:
            done.append(True)
            action()

    return run
