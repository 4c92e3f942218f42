"""Bulk import from an HRIS: the valid rows, written in batches of one read and one bulk write each.

Reading, validating and the rule for repeated rows (the last row for an employee id is applied) are
shared.bulk_import's; this module decides what each row does to the stored person and counts it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from services.profiles.domain import profiles
from services.profiles.use_cases import people
from services.profiles.use_cases.ports import ProfilesUnit
from shared.bulk_import import ImportReport
from shared.errors import DomainError
from shared.events import Event
from shared.timeutil import now_rfc3339

MAX_ROWS = 10_000
BATCH = 1_000

Row = tuple[int, dict[str, Any]]  # (index in the request, loaded row)


def import_profiles(uow: ProfilesUnit, rows: Sequence[Row], report: ImportReport) -> ImportReport:
    """Create or replace each row's profile like a PUT would, counting created, updated and unchanged."""
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
    creates: list[tuple[dict, Event]] = field(default_factory=list)
    updates: list[tuple[dict, int, Event]] = field(default_factory=list)
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
        event = people.profile_event(event_type, profile)
        if current is None:
            batch.creates.append((profile, event))
        else:
            batch.updates.append((profile, current["version"], event))
    return batch


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
