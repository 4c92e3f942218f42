"""A backfilled write and its audit entry are one transaction on the real store: a key a concurrent
writer took aborts it and it runs again from a fresh read; a refused one leaves nothing behind."""

from __future__ import annotations

import pytest
from pymongo.errors import PyMongoError

from services.matching.adapters.indexes import BACKFILL_AUDIT
from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from shared.errors import Invalid


@pytest.fixture
def uow(scratch_db):
    return MatchingUnitOfWork(scratch_db)


def entry(aggregate_id: str) -> dict:
    return {"operation": "matching_run.requested", "aggregate_id": aggregate_id, "program_id": "p-1",
            "employee_ids": [], "occurred_at": "2025-01-01T00:00:00.000000Z",
            "recorded_at": "2025-06-01T00:00:00.000000Z", "by": "admin-1"}


def run(run_id: str, lock: str) -> dict:
    return {"run_id": run_id, "program_id": "p-1", "status": "running", "program_lock": lock}


def test_a_transaction_that_loses_a_key_runs_again_and_keeps_only_its_last_attempt(uow):
    attempts, lost = [], []

    def queue_a_wave(tx):
        attempts.append(len(attempts) + 1)
        tx.backfills.record([entry("wave")])
        if len(attempts) == 1:  # another admin, in a write of their own, takes the program's lock meanwhile
            assert MatchingUnitOfWork(uow.db).runs.insert(run("theirs", "running#p-1"))
        lock = "running#p-1" if len(attempts) == 1 else "running#p-2"  # the rerun decides afresh
        try:
            return tx.runs.insert(run(f"ours-{len(attempts)}", lock))
        except PyMongoError:  # inside a transaction the taken key is raised, never answered False
            lost.append(len(attempts))
            raise

    assert uow.atomically(queue_a_wave) is True and (attempts, lost) == ([1, 2], [1])
    assert uow.db[BACKFILL_AUDIT].count_documents({"aggregate_id": "wave"}) == 1
    assert sorted(d["_id"] for d in uow.db["matching_runs"].find()) == ["ours-2", "theirs"]


def test_a_transaction_refused_half_way_leaves_neither_the_change_nor_its_audit_entry(uow):
    def refused(tx):
        tx.runs.insert(run("refused", "running#p-3"))
        tx.backfills.record([entry("refused")])
        raise Invalid("occurred_at is out of order", {"occurred_at": ["must not be before the start"]})

    with pytest.raises(Invalid):
        uow.atomically(refused)
    assert uow.db["matching_runs"].count_documents({}) == 0
    assert uow.db[BACKFILL_AUDIT].count_documents({}) == 0


def test_outside_a_transaction_a_taken_key_is_still_answered_false(uow):
    assert uow.runs.insert(run("first", "running#p-4")) is True
    assert uow.runs.insert(run("second", "running#p-4")) is False
