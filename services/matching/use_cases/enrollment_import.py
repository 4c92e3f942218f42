"""Bulk enrollment: the rows shared.bulk_import found valid (the last row per person), written in
batches against the stored people and enrollments; bad rows are reported by index, good rows kept."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.matching.domain.people import check_enrollable
from services.matching.use_cases import events
from services.matching.use_cases.enrollments import enroll, new_enrollment
from services.matching.use_cases.ports import UnitOfWork
from services.matching.use_cases.programs import get_program
from shared.bulk_import import ImportReport
from shared.errors import Conflict, DomainError, NotFound
from shared.events import catalog as ev
from shared.timeutil import now_rfc3339

MAX_ROWS = 50_000
BATCH = 5_000  # rows checked against stored people and enrollments at once

Row = tuple[int, dict[str, Any]]  # (index in the request, {employee_id, role})


def import_enrollments(uow: UnitOfWork, program_id: str, rows: Sequence[Row], report: ImportReport) -> ImportReport:
    """Enroll each row's person in the row's role; `report` already holds the rows that were not valid."""
    get_program(uow, program_id)
    for start in range(0, len(rows), BATCH):
        _write_batch(uow, program_id, rows[start:start + BATCH], report)
    return report


def _write_batch(uow: UnitOfWork, program_id: str, batch: Sequence[Row], report: ImportReport) -> None:
    ids = [row["employee_id"] for _, row in batch]
    people, current = uow.people.get_many(ids), uow.enrollments.get_many(program_id, ids)
    inserts, updates, now = [], [], now_rfc3339()
    for index, row in batch:
        eid, existing = row["employee_id"], current.get(row["employee_id"])
        if not _enrollable(report, index, people.get(eid), existing, row):
            continue
        enrollment = new_enrollment(program_id, eid, row["role"], existing, now)
        event = events.enrollment(ev.ENROLLMENT_CREATED, enrollment, now)
        if existing is None:
            inserts.append((enrollment, event))
        else:
            updates.append((existing, enrollment, event))
    lost = uow.enrollments.write_many(inserts, updates)
    report.created += len(inserts) + len(updates) - len(lost)
    _retry_singly(uow, program_id, [(i, r) for i, r in batch if r["employee_id"] in lost], report)


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
