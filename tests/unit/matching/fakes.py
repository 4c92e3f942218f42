"""In-memory fakes of matching's ports (services/matching/use_cases/ports.py) and a fake unit of work.

They keep the adapters' promises that the use cases rely on: unique keys (ids, capacity and mentee
slots, one running run per program), guarded writes that lose to a concurrent writer, pages by id.
`concurrently` lets a test play the other writer: it runs once, just before the next insert or guarded write.
`atomically` is a transaction: its writes are undone when it fails, and a taken key inside it aborts
it and runs it again (the other writer's change, made in its own transaction, stays).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from services.matching.domain.lifecycle import OPEN_STATUSES, mentee_slot
from shared.errors import Conflict
from shared.events import Event
from shared.events.envelope import thaw
from shared.org_chart import MAX_DEPTH, walk_chain
from shared.pagination import decode_cursor, encode_cursor

Doc = dict[str, Any]


def paged(docs: Iterable[Mapping[str, Any]], key: str, limit: int, cursor: str | None) -> dict[str, Any]:
    after = decode_cursor(cursor) if cursor else None
    found = sorted((dict(d) for d in docs if after is None or d[key] > after), key=lambda d: d[key])
    items = found[:limit]
    return {"items": items, "next_cursor": encode_cursor(items[-1][key]) if len(found) > limit else None}


class LostRace(Exception):
    """A key taken by a concurrent writer inside a transaction: the transaction aborts and runs again."""


class Journal:
    """The undo log of the open transaction, shared by every fake repository of one unit of work."""

    def __init__(self) -> None:
        self.open, self.undo = False, []

    def note(self, undo: Callable[[], None]) -> None:
        if self.open:
            self.undo.append(undo)

    def rollback(self) -> None:
        for undo in reversed(self.undo):
            undo()
        self.undo.clear()


class Table:
    """Documents by id, unique fields, guarded updates and the events each write carried."""

    key, guard, unique = "", "version", ()

    def __init__(self) -> None:
        self.docs: dict[str, Doc] = {}
        self.published: list[Event] = []
        self.concurrently: Callable[[Doc], None] | None = None  # the other writer, once
        self.journal = Journal()

    def insert(self, doc: Mapping[str, Any], events: Sequence[Event]) -> bool:
        self._interfere(dict(doc))
        if doc[self.key] in self.docs or any(doc.get(f) is not None and any(d.get(f) == doc[f] for d in
                                                                            self.docs.values()) for f in self.unique):
            if self.journal.open:
                raise LostRace(doc[self.key])
            return False
        self.docs[doc[self.key]] = copy.deepcopy(dict(doc))
        self._published(events, lambda: self.docs.pop(doc[self.key]))
        return True

    def get(self, doc_id: str) -> Doc | None:
        return copy.deepcopy(self.docs.get(doc_id))

    def update(self, current: Mapping[str, Any], changes: Mapping[str, Any], events: Sequence[Event]) -> bool:
        self._interfere(self.docs[current[self.key]])
        stored = self.docs.get(current[self.key])
        if stored is None or stored.get(self.guard) != current[self.guard]:
            return False
        before = copy.deepcopy(stored)
        stored.update(copy.deepcopy(dict(changes)))
        self._published(events, lambda: self.docs.__setitem__(current[self.key], before))
        return True

    def _published(self, events: Sequence[Event], undo_write: Callable[[], Any]) -> None:
        self.published += events

        def undo() -> None:
            undo_write()
            for event in events:
                self.published.remove(event)

        self.journal.note(undo)

    def _interfere(self, doc: Doc) -> None:
        """Let the test's concurrent writer act once: on the stored document (an update) or beside the new one,
        in a transaction of its own (what it writes stays, whatever becomes of ours)."""
        if self.concurrently is not None:
            interfere, self.concurrently = self.concurrently, None
            ours, self.journal.open = self.journal.open, False
            try:
                interfere(doc)
            finally:
                self.journal.open = ours

    def where(self, **fields: Any) -> list[Doc]:
        """Documents whose fields equal these values (a tuple value: any of them)."""
        def matches(doc: Doc) -> bool:
            return all(doc.get(k) in v if isinstance(v, tuple) else doc.get(k) == v for k, v in fields.items())

        return [copy.deepcopy(d) for d in self.docs.values() if matches(d)]

    def types(self) -> list[str]:
        return [e.type for e in self.published]


class FakePeople:
    def __init__(self) -> None:
        self.people: dict[str, Doc] = {}
        self.goals: dict[str, Doc] = {}

    def apply_profile(self, data: Mapping[str, Any]) -> bool:
        return self._newer(self.people, data["employee_id"], {**data, "erased": False})

    def apply_erasure(self, employee_id: str, version: int) -> bool:
        return self._newer(self.people, employee_id, {"employee_id": employee_id, "version": version,
                                                      "erased": True, "employment_status": "erased"})

    def get(self, employee_id: str) -> Doc | None:
        found = self.people.get(employee_id)
        return {"_id": employee_id, **copy.deepcopy(found)} if found else None

    def get_many(self, ids: Iterable[str]) -> dict[str, Doc]:
        return {i: p for i in ids if (p := self.get(i)) is not None}

    def chains(self, people: Mapping[str, Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
        return {pid: walk_chain(pid, lambda e: (self.people.get(e) or {}).get("manager_id"),
                                first=p.get("manager_id") or "") for pid, p in people.items()}

    def reports_of(self, manager_id: str) -> set[str]:
        found, frontier = set(), {manager_id}
        for _ in range(MAX_DEPTH):
            frontier = {e for e, p in self.people.items() if p.get("manager_id") in frontier} - found - {manager_id}
            if not frontier:
                break
            found |= frontier
        return found

    def apply_goal(self, data: Mapping[str, Any], progressed: bool) -> bool:
        previous = self.goals.get(data["goal_id"], {})
        goal = {**data, "progressed_at": data.get("updated_at") if progressed or not previous
                else previous.get("progressed_at")}
        return self._newer(self.goals, data["goal_id"], goal)

    def goals_of(self, employee_ids: Iterable[str]) -> dict[str, list[Doc]]:
        wanted, found = set(employee_ids), {}
        for goal_id, goal in self.goals.items():
            if goal["employee_id"] in wanted:
                found.setdefault(goal["employee_id"], []).append({**goal, "goal_id": goal_id})
        return found

    def delete_goals_of(self, employee_id: str) -> int:
        gone = [g for g, goal in self.goals.items() if goal["employee_id"] == employee_id]
        for goal_id in gone:
            del self.goals[goal_id]
        return len(gone)

    @staticmethod
    def _newer(table: dict[str, Doc], doc_id: str, doc: Mapping[str, Any]) -> bool:
        if doc_id in table and table[doc_id]["version"] >= doc["version"]:
            return False
        table[doc_id] = thaw(doc)  # event data arrives frozen; the store keeps plain values
        return True


class FakePrograms(Table):
    key = "program_id"

    def insert(self, program: Mapping[str, Any], events: Sequence[Event]) -> None:
        super().insert(program, events)

    def get(self, program_id: str) -> Doc | None:
        return super().get(program_id)

    def page(self, name: str | None, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return paged(self.where(**({"name": name} if name else {})), self.key, limit, cursor)


class FakeEnrollments(Table):
    key = "_key"

    def get(self, program_id: str, employee_id: str) -> Doc | None:  # type: ignore[override]
        found = super().get(f"{program_id}:{employee_id}")
        return {k: v for k, v in found.items() if k != "_key"} if found else None

    def get_many(self, program_id: str, employee_ids: Iterable[str]) -> dict[str, Doc]:
        return {e: found for e in employee_ids if (found := self.get(program_id, e)) is not None}

    def where(self, **fields: Any) -> list[Doc]:
        return [{k: v for k, v in e.items() if k != "_key"} for e in super().where(**fields)]

    def insert(self, enrollment: Mapping[str, Any], events: Sequence[Event]) -> bool:
        return super().insert({**enrollment, "_key": f"{enrollment['program_id']}:{enrollment['employee_id']}"},
                              events)

    def update(self, current: Mapping[str, Any], changes: Mapping[str, Any], events: Sequence[Event]) -> bool:
        return super().update({**current, "_key": f"{current['program_id']}:{current['employee_id']}"}, changes,
                              events)

    def write_many(self, inserts: Sequence[tuple[Doc, Event]], updates: Sequence[tuple[Doc, Doc, Event]]) -> set[str]:
        lost = {e["employee_id"] for e, event in inserts if not self.insert(e, [event])}
        return lost | {c["employee_id"] for c, changes, event in updates if not self.update(c, changes, [event])}

    def active(self, program_id: str, role: str) -> list[Doc]:
        return self.where(program_id=program_id, role=role, status="active")

    def active_of(self, employee_id: str) -> list[Doc]:
        return self.where(employee_id=employee_id, status="active")

    def page(self, program_id: str, *, role: str | None, status: str | None, limit: int,
             cursor: str | None) -> dict[str, Any]:
        found = [e for e in self.where(program_id=program_id) if role in (None, e["role"])
                 and status in (None, e["status"])]
        found = [{**e, "_key": f"{program_id}:{e['employee_id']}"} for e in found]
        page = paged(found, self.key, limit, cursor)
        return {**page, "items": [{k: v for k, v in e.items() if k != "_key"} for e in page["items"]]}


class FakeMentorships(Table):
    key, unique = "mentorship_id", ("mentor_slot", "mentee_slot")

    def insert_many(self, docs: Sequence[tuple[Doc, Event]]) -> set[int]:
        return {i for i, (doc, event) in enumerate(docs) if not self.insert(doc, [event])}

    def existing(self, mentorship_ids: Sequence[str]) -> set[str]:
        return set(mentorship_ids) & set(self.docs)

    def held_slots(self, mentor_ids: Iterable[str]) -> dict[str, set[str]]:
        held: dict[str, set[str]] = {}
        for m in self.where(mentor_id=tuple(mentor_ids), status=OPEN_STATUSES):
            held.setdefault(m["mentor_id"], set()).add(m["mentor_slot"])
        return held

    def open_in_program(self, program_id: str) -> list[Doc]:
        return self.where(program_id=program_id, status=OPEN_STATUSES)

    def active_in_program(self, program_id: str) -> list[Doc]:
        return self.where(program_id=program_id, status="active")

    def open_of(self, employee_id: str, program_id: str | None = None) -> list[Doc]:
        return [m for m in self.of_person(employee_id) if m["status"] in OPEN_STATUSES
                and program_id in (None, m["program_id"])]

    def of_person(self, employee_id: str) -> list[Doc]:
        return [*self.where(mentor_id=employee_id), *self.where(mentee_id=employee_id)]

    def open_of_mentees(self, program_id: str, mentee_ids: Iterable[str]) -> list[Doc]:
        return self.where(mentee_slot=tuple(mentee_slot(program_id, m) for m in mentee_ids))

    def declined_mentors(self, program_id: str, mentee_ids: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for m in self.where(program_id=program_id, status="declined", mentee_id=tuple(mentee_ids)):
            found.setdefault(m["mentee_id"], []).append(m["mentor_id"])
        return found

    def page(self, *, program_id: str | None, status: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
        found = self.where(**{k: v for k, v in (("program_id", program_id), ("status", status)) if v})
        return paged(found, self.key, limit, cursor)

    def page_of_person(self, employee_id: str, *, program_id: str | None, status: str | None, limit: int,
                       cursor: str | None) -> dict[str, Any]:
        found = [m for m in self.of_person(employee_id) if program_id in (None, m["program_id"])
                 and status in (None, m["status"])]
        return paged(found, self.key, limit, cursor)

    def rewrite_reasons(self, mentee_id: str, rewrite: Callable[[list[str]], list[str]]) -> None:
        for m in self.docs.values():
            if m["mentee_id"] == mentee_id:
                m["reasons"] = rewrite(list(m.get("reasons") or []))


class FakeSessions(Table):
    key, guard = "session_id", "status"

    def scheduled_of(self, mentorship_id: str) -> list[Doc]:
        return self.where(mentorship_id=mentorship_id, status="scheduled")

    def page(self, mentorship_id: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return paged(self.where(mentorship_id=mentorship_id), self.key, limit, cursor)

    def completed_times(self, mentorship_ids: Iterable[str]) -> dict[str, list[str]]:
        times: dict[str, list[str]] = {}
        for s in self.where(mentorship_id=tuple(mentorship_ids), status="completed"):
            times.setdefault(s["mentorship_id"], []).append(s["scheduled_at"])
        return times

    def forget_texts(self, mentorship_ids: Sequence[str]) -> None:
        for s in self.docs.values():
            if s["mentorship_id"] in mentorship_ids:
                s.update(agenda=None, notes=None)


class FakeFeedback(Table):
    key = "feedback_id"

    def page(self, mentorship_id: str, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return paged(self.where(mentorship_id=mentorship_id), self.key, limit, cursor)

    def ratings(self, mentorship_ids: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
        found: dict[str, list[tuple[int, str]]] = {}
        for f in self.where(mentorship_id=tuple(mentorship_ids)):
            found.setdefault(f["mentorship_id"], []).append((f["rating"], f["submitted_at"]))
        return found

    def forget_comments(self, mentorship_ids: Sequence[str]) -> None:
        for f in self.docs.values():
            if f["mentorship_id"] in mentorship_ids:
                f["comment"] = None


class FakeRuns(Table):
    key, unique = "run_id", ("program_lock",)

    def __init__(self) -> None:
        super().__init__()
        self.results_of: dict[str, list[Doc]] = {}
        self.inputs_of: dict[str, dict[str, int]] = {}

    def insert(self, run: Mapping[str, Any]) -> bool:  # type: ignore[override]
        return super().insert(run, [])

    def get(self, run_id: str) -> Doc | None:
        return super().get(run_id)

    def running_for(self, program_id: str) -> Doc | None:
        return next(iter(self.where(program_id=program_id, status="running")), None)

    def claim(self, holder: str, now: datetime, stale_before: datetime) -> Doc | None:
        running = sorted(self.where(status="running"), key=lambda r: r["requested_at"])
        for run in [r for r in running if r["claimed_by"] is None] + [
                r for r in running if r["heartbeat_at"] is not None and r["heartbeat_at"] < stale_before]:
            self.docs[run["run_id"]].update(claimed_by=holder, heartbeat_at=now, attempts=run["attempts"] + 1)
            return self.get(run["run_id"])
        return None

    def save(self, run_id: str, holder: str, changes: Mapping[str, Any], events: Sequence[Event] = ()) -> bool:
        run = self.docs.get(run_id)
        if run is None or run["claimed_by"] != holder or run["status"] != "running":
            return False
        for name, value in changes.items():  # "audit.write_ms" sets inside the audit, as Mongo's $set does
            target, _, leaf = name.rpartition(".")
            (run.setdefault(target, {}) if target else run)[leaf] = copy.deepcopy(value)
        self.published += events
        return True

    def write_results(self, run_id: str, rows: Sequence[Mapping[str, Any]]) -> None:
        self.results_of[run_id] = [{"run_id": run_id, "seq": seq, **copy.deepcopy(dict(row))}
                                   for seq, row in enumerate(rows)]

    def results(self, run_id: str) -> list[Doc]:
        return copy.deepcopy(self.results_of.get(run_id, []))

    def mark_results(self, run_id: str, seqs: Sequence[int], changes: Mapping[str, Any]) -> None:
        for row in self.results_of.get(run_id, []):
            if row["seq"] in seqs:
                row.update(changes)

    def write_inputs(self, run_id: str, versions: Mapping[str, int]) -> None:
        self.inputs_of[run_id] = dict(versions)

    def inputs(self, run_id: str) -> dict[str, int]:
        return dict(self.inputs_of.get(run_id, {}))

    def rewrite_reasons(self, mentee_id: str, rewrite: Callable[[list[str]], list[str]]) -> None:
        for row in (r for rows in self.results_of.values() for r in rows):
            if row["mentee_id"] == mentee_id and row.get("reasons"):
                row["reasons"] = rewrite(list(row["reasons"]))


class FakeBackfills:
    """The audit trail, in the order entries were recorded."""

    def __init__(self) -> None:
        self.entries: list[Doc] = []
        self.journal = Journal()

    def record(self, entries: Sequence[Mapping[str, Any]]) -> None:
        added = [{"audit_id": str(uuid.uuid4()), "sequence": f"{e['recorded_at']}~{len(self.entries) + n:05d}",
                  **copy.deepcopy(dict(e))} for n, e in enumerate(entries)]
        self.entries += added
        self.journal.note(lambda: [self.entries.remove(e) for e in added])

    def page(self, *, limit: int, cursor: str | None) -> dict[str, Any]:
        found = paged(self.entries, "sequence", limit, cursor)
        return {**found, "items": [{k: v for k, v in e.items() if k != "sequence"} for e in found["items"]]}

    def pseudonymise(self, employee_id: str, pseudonym: str) -> None:
        for entry in self.entries:
            entry["employee_ids"] = sorted(pseudonym if e == employee_id else e for e in entry["employee_ids"])
            entry["by"] = pseudonym if entry["by"] == employee_id else entry["by"]


class FakeUnitOfWork:
    """The unit of work of a use case under test: every repository in memory, actions run at once."""

    ATTEMPTS = 5

    def __init__(self) -> None:
        self.people, self.programs, self.enrollments = FakePeople(), FakePrograms(), FakeEnrollments()
        self.mentorships, self.sessions, self.feedback = FakeMentorships(), FakeSessions(), FakeFeedback()
        self.runs, self.backfills = FakeRuns(), FakeBackfills()
        self.journal, self.commits = Journal(), 0  # commits: transactions `atomically` committed
        for repository in (self.programs, self.enrollments, self.mentorships, self.sessions, self.feedback,
                           self.runs, self.backfills):
            repository.journal = self.journal

    def after_commit(self, action: Callable[[], None]) -> None:
        action()

    def atomically(self, work: Callable[[FakeUnitOfWork], Any]) -> Any:
        if self.journal.open:
            return work(self)
        for _ in range(self.ATTEMPTS):
            self.journal.open = True
            try:
                done = work(self)
            except LostRace:
                self.journal.rollback()
                continue
            except BaseException:
                self.journal.rollback()
                raise
            finally:
                self.journal.open = False
                self.journal.undo.clear()
            self.commits += 1
            return done
        raise Conflict("this history is being changed concurrently; retry")

    def published(self) -> list[Event]:
        """Every event the use cases wrote with their changes, across the repositories."""
        return [e for t in (self.programs, self.enrollments, self.mentorships, self.sessions, self.feedback,
                            self.runs) for e in t.published]
