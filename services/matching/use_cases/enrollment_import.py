"""Bulk enrollment: the rows shared.bulk_import found valid (the last row per person), written in
batches against the stored people and enrollments; bad rows are reported by index, good rows kept.

A row with `occurred_at` is history: its batch is written in one transaction with the rows' audit
entries, and its report counts only once that transaction has committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from services.matching.domain.backfill import enrollment_history
from services.matching.domain.people import check_enrollable
from services.matching.use_cases import backfills, events
from services.matching.use_cases.enrollments import enroll, new_enrollment
from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.programs import get_program
from shared.backfill import Stamp, occurred
from shared.bulk_import import ImportReport
from shared.errors import Conflict, DomainError, Invalid, NotFound
from shared.events import catalog as ev
from shared.timeutil import to_rfc3339, utcnow

MAX_ROWS = 50_000
BATCH = 5_000  # rows checked against stored people and enrollments at once
HISTORY_BATCH = 500  # backfilled rows per transaction: short transactions, as MongoDB advises

Row = tuple[int, dict[str, Any]]  # (index in the request, {employee_id, role, occurred_at?})
Planned = tuple[list[tuple[dict, Any]], list[tuple[dict, dict, Any]]]  # (inserts, updates) with their events


def import_enrollments(uow: UnitOfWork, program_id: str, rows: Sequence[Row], report: ImportReport,
                       recorded_by: str = "") -> ImportReport:
    """Enroll each row's person in the row's role; `report` already holds the rows that were not valid."""
    get_program(uow, program_id)
    live = [(i, r) for i, r in rows if r.get("occurred_at") is None]
    history = [(i, r) for i, r in rows if r.get("occurred_at") is not None]
    for start in range(0, len(live), BATCH):
        _write_batch(uow, program_id, live[start:start + BATCH], report)
    for start in range(0, len(history), HISTORY_BATCH):
        _write_history(uow, program_id, history[start:start + HISTORY_BATCH], report, recorded_by)
    return report


def _write_batch(uow: UnitOfWork, program_id: str, batch: Sequence[Row], report: ImportReport) -> None:
    inserts, updates = _plan(uow, program_id, batch, report, utcnow())
    lost = uow.enrollments.write_many(inserts, updates)
    report.created += len(inserts) + len(updates) - len(lost)
    _retry_singly(uow, program_id, [(i, r) for i, r in batch if r["employee_id"] in lost], report)


def _write_history(uow: UnitOfWork, program_id: str, batch: Sequence[Row], report: ImportReport,
                   recorded_by: str) -> None:
    """One transaction: the batch's enrollments and their audit entries. A concurrent writer reruns it
    from a fresh read, so the batch's own report is merged only after the commit."""
    def work(tx: UnitOfWork) -> ImportReport:
        part = ImportReport()
        inserts, updates = _plan(tx, program_id, batch, part, utcnow())
        lost = tx.enrollments.write_many(inserts, updates)
        written = [e for e in [*(e for e, _ in inserts), *(e for _, e, _ in updates)] if e["employee_id"] not in lost]
        tx.backfills.record([backfills.entry(backfills.ENROLLED, program_id, program_id, [e["employee_id"]],
                                             e["enrolled_at"], recorded_by) for e in written])
        part.created += len(written)
        return part

    part = uow.atomically(work)
    report.created, report.unchanged = report.created + part.created, report.unchanged + part.unchanged
    report.failed += part.failed


def _plan(uow: UnitOfWork, program_id: str, batch: Sequence[Row], report: ImportReport, now: datetime) -> Planned:
    """The writes of the batch's rows that are to be applied; the others are reported in `report`."""
    ids = [row["employee_id"] for _, row in batch]
    people, current = uow.people.get_many(ids), uow.enrollments.get_many(program_id, ids)
    inserts, updates = [], []
    for index, row in batch:
        eid, existing = row["employee_id"], current.get(row["employee_id"])
        when = _stamp(report, index, row, existing, now)
        if when is None or not _enrollable(report, index, people.get(eid), existing, row):
            continue
        enrollment = new_enrollment(program_id, eid, row["role"], existing, when.at)
        event = events.enrollment(ev.ENROLLMENT_CREATED, enrollment, when.at, backfilled=when.backfilled)
        if existing is None:
            inserts.append((enrollment, event))
        else:
            updates.append((existing, enrollment, event))
    return inserts, updates


def _stamp(report: ImportReport, index: int, row: dict, existing: dict | None, now: datetime) -> Stamp | None:
    """Now for a live row; the row's own `occurred_at` for history (None, and reported, when not acceptable)."""
    if row.get("occurred_at") is None:
        return Stamp(to_rfc3339(now))
    try:
        return occurred(row["occurred_at"], now).applied_to(enrollment_history(existing))
    except Invalid as exc:
        report.fail(index, row["employee_id"], exc.errors)
        return None


def _enrollable(report: ImportReport, index: int, person: dict | None, existing: dict | None, row: dict) -> bool:
    """True when the row is to be written; else it is counted unchanged or reported failed."""
    eid, role = row["employee_id"], row["role"]
    try:
        check_enrollable(person, eid, role)
    except (NotFound, Conflict) as exc:
        report.fail(index, eid, {"employee_id" if isinstance(exc, NotFound) else "role": [exc.detail]})
        return False
    if existing is None or existing["status"] != "active":
        return True
    if existing["role"] == role:
        report.unchanged += 1
    else:
        report.fail(index, eid, {"role": [f"already enrolled as a {existing['role']}"]})
    return False


def _retry_singly(uow: UnitOfWork, program_id: str, rows: Sequence[Row], report: ImportReport) -> None:
    """Rows that lost a race with a concurrent writer take the careful single path."""
    for index, row in rows:
        try:
            _, created = enroll(uow, program_id, row["employee_id"], row["role"])
        except DomainError as exc:
            report.fail(index, row["employee_id"], {"_row": [exc.detail]})
            continue
        report.created += int(created)
        report.unchanged += int(not created)
