"""Bulk import from an HRIS: the valid rows, written in batches of one read and one bulk write each.

Reading, validating and the rule for repeated rows (the last row for a key is applied) are
shared.bulk_import's; this module decides what each row does to the stored person and counts it. A row
with `occurred_at` is history (importing_history.py), written first: a live row is "now", after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from services.profiles.domain import profiles
from services.profiles.use_cases import importing_history, people
from services.profiles.use_cases.ports import ProfilesUnit
from shared.bulk_import import ImportReport
from shared.errors import DomainError
from shared.events import Event
from shared.timeutil import now_rfc3339

MAX_ROWS = 10_000
BATCH = 1_000

Row = tuple[int, dict[str, Any]]  # (index in the request, loaded row)


def row_key(row: dict[str, Any]) -> tuple[str, Any]:
    """What makes rows repeats of each other (shared.bulk_import applies the last): the same person at the
    same moment. Rows of one person at different `occurred_at` are their history, and all apply."""
    return row["employee_id"], row.get("occurred_at")


def import_profiles(uow: ProfilesUnit, rows: Sequence[Row], report: ImportReport,
                    recorded_by: str = "") -> ImportReport:
    """Create or replace each row's profile like a PUT would, counting created, updated and unchanged.
    Rows with `occurred_at` are the people's history, recorded (audited) by `recorded_by`."""
    history = [(i, row) for i, row in rows if row.get("occurred_at") is not None]
    importing_history.import_history(uow, history, report, recorded_by)
    rows = [(i, _live(row)) for i, row in rows if row.get("occurred_at") is None]
    batches = [rows[start:start + BATCH] for start in range(0, len(rows), BATCH)]
    _write_singly(uow, _write_batches(uow, batches, report), report)
    return report


def _write_batches(uow: ProfilesUnit, batches: Sequence[Sequence[Row]], report: ImportReport) -> list[Row]:
    """Write the batches; returns the rows left for the single path.

    The store and this process take turns otherwise (a batch's versions and events cost about as much
    CPU here as its write costs the store), so one thread does the store's part, reading the next batch
    and writing the last, while this one plans the next. Only that thread uses the unit of work until
    the batches are done.
    """
    planned: list[tuple[Batch, Future[set[str]]]] = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="profiles-import") as store:
        stored = store.submit(uow.people.get_many, _ids(batches[0])) if batches else None
        for number, rows in enumerate(batches):
            found = stored.result()
            if number + 1 < len(batches):
                stored = store.submit(uow.people.get_many, _ids(batches[number + 1]))
            batch = _plan(rows, found, report)
            planned.append((batch, store.submit(uow.people.write_many, batch.creates, batch.updates)))
    return [row for batch, written in planned for row in batch.count(written.result(), report)]


@dataclass
class Batch:
    """What one batch of rows writes: new people, new versions, and rows for the single path."""

    rows: Sequence[Row]
    creates: list[tuple[dict, list[Event]]] = field(default_factory=list)
    updates: list[tuple[dict, int, list[Event]]] = field(default_factory=list)
    singly: list[Row] = field(default_factory=list)

    def count(self, lost: set[str], report: ImportReport) -> list[Row]:
        """Count what landed; returns the rows to write one by one (a rehire, or a write that lost a race)."""
        report.created += sum(1 for profile, _ in self.creates if profile["employee_id"] not in lost)
        report.updated += sum(1 for profile, _, _ in self.updates if profile["employee_id"] not in lost)
        return [*self.singly, *((i, row) for i, row in self.rows if row["employee_id"] in lost)]


def _plan(rows: Sequence[Row], stored: dict[str, dict], report: ImportReport) -> Batch:
    batch, now = Batch(rows), now_rfc3339()
    for index, row in rows:
        current = stored.get(row["employee_id"])
        if current is not None and not profiles.is_live(current):
            batch.singly.append((index, row))  # a rehire after erasure: the careful single path
            continue
        revision = profiles.revision(current, profiles.with_defaults(row), now)
        if revision is None:
            report.unchanged += 1
            continue
        profile, event_type = revision
        events = [people.profile_event(event_type, profile)]
        if current is None:
            batch.creates.append((profile, events))
        else:
            batch.updates.append((profile, current["version"], events))
    return batch


def _live(row: dict[str, Any]) -> dict[str, Any]:
    """A row of now: what HR holds of the person, without the `occurred_at` it left empty."""
    return {k: v for k, v in row.items() if k != "occurred_at"}


def _ids(rows: Sequence[Row]) -> list[str]:
    return [row["employee_id"] for _, row in rows]


def _write_singly(uow: ProfilesUnit, rows: Iterable[Row], report: ImportReport) -> None:
    """Rows the batch could not take (a rehire, or a write that lost a race): one PUT each."""
    for index, row in rows:
        body = {k: v for k, v in row.items() if k != "employee_id"}
        try:
            saved = people.put_profile(uow, row["employee_id"], body)
        except DomainError as exc:
            report.fail(index, row["employee_id"], {"_row": [exc.detail]})
            continue
        setattr(report, saved.outcome, getattr(report, saved.outcome) + 1)
