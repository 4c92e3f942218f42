"""History in bulk: import rows with an `occurred_at`, each a version of its person at that moment.

A migration brings several versions of one person in one file (hired, promoted, moved, left). Such rows
are not repeats in shared.bulk_import's sense: the key of a row is the person *and* its moment, so every
moment of a person is applied, in `occurred_at` order whatever the order of the rows, each as its own
version with its own `mentoring.profile.*` event (`backfilled: true`) and audit entry. Of rows for one
person at the same moment, the last is applied (a later line corrects an earlier one, as for live rows).

Rows are written in batches, each one transaction with its audit entries, and counted once it commits.
A row the window refuses, or one before what is already recorded of the person, is reported with
`errors.occurred_at`; the person's other rows still apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.profiles.domain import history, profiles
from services.profiles.use_cases import backfills, people
from services.profiles.use_cases.ports import ProfilesUnit
from shared.backfill import occurred
from shared.bulk_import import ImportReport
from shared.errors import Invalid
from shared.events import Event, EventType
from shared.events import catalog as ev
from shared.timeutil import utcnow
from shared.unit_of_work import LostRace

HISTORY_BATCH = 500  # rows per transaction: short transactions, as MongoDB advises

Row = tuple[int, dict[str, Any]]  # (index in the request, loaded row with its occurred_at)


def import_history(uow: ProfilesUnit, rows: Sequence[Row], report: ImportReport, recorded_by: str) -> None:
    """Apply each person's rows in `occurred_at` order (ties: row order), a batch per transaction."""
    ordered = sorted(rows, key=lambda r: (r[1]["employee_id"], r[1]["occurred_at"], r[0]))
    for start in range(0, len(ordered), HISTORY_BATCH):
        batch = ordered[start:start + HISTORY_BATCH]
        part = uow.atomically(lambda tx, batch=batch: _write(tx, batch, recorded_by))
        report.created, report.updated = report.created + part.created, report.updated + part.updated
        report.unchanged += part.unchanged
        report.failed += part.failed


@dataclass
class Versions:
    """What a batch writes of one person: what was stored, the version reached, and the events on the way."""

    stored: dict[str, Any] | None
    current: dict[str, Any] | None
    events: list[Event] = field(default_factory=list)

    def add(self, row: dict[str, Any], now: datetime) -> EventType | None:
        """The row as the person's next version (its event's type), None when it changes nothing; Invalid
        when its moment is outside the window or before the version reached."""
        when = occurred(row["occurred_at"], now)
        incoming = profiles.with_defaults({k: v for k, v in row.items() if k != "occurred_at"})
        revision = profiles.revision(self.current, incoming, when.at)
        if revision is None:
            return None
        when.applied_to(history.of_person(self.current))
        self.current, event_type = revision
        self.events.append(people.profile_event(event_type, self.current, backfilled=True))
        return event_type


def _write(tx: ProfilesUnit, batch: Sequence[Row], recorded_by: str) -> ImportReport:
    """One transaction: the batch's versions of its people and an audit entry per applied row."""
    part, now, entries = ImportReport(), utcnow(), []
    stored = tx.people.get_many({row["employee_id"] for _, row in batch})
    versions: dict[str, Versions] = {}
    for index, row in batch:
        eid = row["employee_id"]
        person = versions.setdefault(eid, Versions(stored.get(eid), stored.get(eid)))
        try:
            event_type = person.add(row, now)
        except Invalid as exc:
            part.fail(index, eid, exc.errors)
            continue
        if event_type is None:
            part.unchanged += 1
            continue
        outcome = "updated" if event_type is ev.PROFILE_UPDATED else "created"
        setattr(part, outcome, getattr(part, outcome) + 1)
        entries.append(backfills.entry(event_type, eid, eid, person.current["updated_at"], recorded_by))
    _store(tx, [v for v in versions.values() if v.events])
    tx.backfills.record(entries)
    return part


def _store(tx: ProfilesUnit, changed: Sequence[Versions]) -> None:
    """Each person's last version with all its events, in one write per person; LostRace (the transaction
    runs again from a fresh read) when another writer got to one of them first."""
    creates = [(v.current, v.events) for v in changed if v.stored is None]
    updates = [(v.current, v.stored["version"], v.events) for v in changed if profiles.is_live(v.stored)]
    rehires = [v for v in changed if v.stored is not None and not profiles.is_live(v.stored)]
    if tx.people.write_many(creates, updates):
        raise LostRace()
    for v in rehires:  # over the erasure's tombstone, which keeps the version
        if not tx.people.update(v.current["employee_id"], v.stored["version"], v.current, v.events,
                                unset=("erased", "erased_at")):
            raise LostRace()
