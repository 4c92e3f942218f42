"""Bulk import from an HRIS: the valid rows, written in batches of one read and one bulk write each.

Reading, validating and the rule for repeated rows (the last row for an employee id is applied) are
shared.bulk_import's; this module decides what each row does to the stored person and counts it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from services.profiles.domain import profiles
from services.profiles.use_cases import people
from services.profiles.use_cases.ports import ProfilesUnit
from shared.bulk_import import ImportReport
from shared.errors import DomainError
from shared.timeutil import now_rfc3339

MAX_ROWS = 10_000
BATCH = 1_000

Row = tuple[int, dict[str, Any]]  # (index in the request, loaded row)


def import_profiles(uow: ProfilesUnit, rows: Sequence[Row], report: ImportReport) -> ImportReport:
    """Create or replace each row's profile like a PUT would, counting created, updated and unchanged."""
    for start in range(0, len(rows), BATCH):
        _write_batch(uow, rows[start:start + BATCH], report)
    return report


def _write_batch(uow: ProfilesUnit, batch: Sequence[Row], report: ImportReport) -> None:
    stored = uow.people.get_many(row["employee_id"] for _, row in batch)
    creates, updates, singly, now = [], [], [], now_rfc3339()
    for index, row in batch:
        current = stored.get(row["employee_id"])
        if current is not None and not profiles.is_live(current):
            singly.append((index, row))  # a rehire after erasure: the careful single path
            continue
        revision = profiles.revision(current, profiles.with_defaults(row), now)
        if revision is None:
            report.unchanged += 1
            continue
        profile, event_type = revision
        event = people.profile_event(event_type, profile)
        if current is None:
            creates.append((profile, event))
        else:
            updates.append((profile, current["version"], event))
    lost = uow.people.write_many(creates, updates)
    report.created += sum(1 for profile, _ in creates if profile["employee_id"] not in lost)
    report.updated += sum(1 for profile, _, _ in updates if profile["employee_id"] not in lost)
    _write_singly(uow, [*singly, *((i, row) for i, row in batch if row["employee_id"] in lost)], report)


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
