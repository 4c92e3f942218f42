"""Backfilled history and its audit entries are one transaction on the real store: a batch that loses a
person to another writer runs again from a fresh read; one refused half-way leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.profiles.adapters.indexes import BACKFILL_AUDIT, PEOPLE
from services.profiles.adapters.people import MongoPeople
from services.profiles.adapters.unit_of_work import ProfilesUnitOfWork
from services.profiles.domain import profiles
from services.profiles.use_cases import importing_history, people
from shared.backfill import Backfill
from shared.errors import Invalid
from shared.events import catalog as ev
from shared.timeutil import to_rfc3339, utcnow
from tests.integration.profiles.conftest import person


def days_ago(days: float):
    return utcnow() - timedelta(days=days)


def hired_long_ago(db, employee_id: str) -> None:
    profile = {**profiles.with_defaults({**person(employee_id), "employee_id": employee_id}), "version": 1,
               "created_at": to_rfc3339(days_ago(100)), "updated_at": to_rfc3339(days_ago(100))}
    assert MongoPeople(db).insert(profile, [people.profile_event(ev.PROFILE_CREATED, profile, backfilled=True)])


def test_a_history_batch_that_loses_a_person_to_another_writer_runs_again_from_a_fresh_read(scratch, uid):
    employee_id, attempts = f"E{uid}", []
    hired_long_ago(scratch, employee_id)
    rows = [(0, {"employee_id": employee_id, **person(employee_id, grade=7), "occurred_at": days_ago(50)})]

    def batch(tx):
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            assert tx.people.get(employee_id)["version"] == 1  # the transaction has read the person
            assert MongoPeople(scratch).update(employee_id, 1, {"version": 2, "title": "Lead"}, [])  # HR, live
        return importing_history._write(tx, rows, "hris")

    part = ProfilesUnitOfWork(scratch).atomically(batch)
    assert (attempts, part.updated, part.failed) == ([1, 2], 1, [])
    stored = scratch[PEOPLE].find_one({"_id": employee_id})
    assert (stored["version"], stored["grade"], stored["title"]) == (3, 7, None)  # over the other writer's version
    assert scratch[BACKFILL_AUDIT].count_documents({"aggregate_id": employee_id}) == 1


def test_a_backfilled_change_refused_half_way_leaves_neither_the_change_nor_its_audit_entry(scratch, uid):
    employee_id = f"E{uid}"
    hired_long_ago(scratch, employee_id)
    uow = ProfilesUnitOfWork(scratch)

    def refused(tx):
        people.put_profile(tx, employee_id, person(employee_id, grade=8), backfill=Backfill(days_ago(40), "hris"))
        raise Invalid("refused after the write", {"occurred_at": ["as if the next step were out of order"]})

    with pytest.raises(Invalid):
        uow.atomically(refused)
    assert scratch[PEOPLE].find_one({"_id": employee_id})["version"] == 1
    assert scratch[BACKFILL_AUDIT].count_documents({}) == 0
    saved = people.put_profile(uow, employee_id, person(employee_id, grade=8), backfill=Backfill(days_ago(40), "hris"))
    assert saved.outcome == "updated" and scratch[BACKFILL_AUDIT].count_documents({"aggregate_id": employee_id}) == 1
