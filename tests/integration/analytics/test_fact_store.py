"""The fact store inside the consumer's transaction: a batch's facts commit with its processed-event
records, or not at all; a fact seen before does not abort the batch; erasure strips within the batch."""

from __future__ import annotations

import functools

import pytest

from services.analytics.adapters.unit_of_work import AnalyticsUnitOfWork
from services.analytics.domain.pseudonyms import Pseudonyms, new_key
from services.analytics.entrypoints.handlers import EVENT_HANDLERS
from services.analytics.use_cases.rebuilds import Changes
from shared.consumer import handler_table
from shared.mongo import Store
from shared.unit_of_work import transaction
from tests.unit.analytics import builders as b

GROUP = "analytics-fact-store"
HANDLERS = handler_table(EVENT_HANDLERS)


@pytest.fixture
def store(infra, uid):
    store = Store(infra.mongodb_uri, f"{infra.mongodb_db}_facts_{uid}")
    yield store
    store.client.drop_database(store.db.name)
    store.close()


@pytest.fixture
def changes() -> Changes:
    return Changes()


def batch(store: Store, changes: Changes, events: list):
    """Apply events as the consumer applies one polled batch: one transaction, then the commit."""
    make = functools.partial(AnalyticsUnitOfWork, pseudonymise=Pseudonyms(new_key()), changes=changes)
    return transaction(store, make), events


def apply(uow, events: list) -> None:
    for event in events:
        HANDLERS[event.type](event, uow)
    uow.processed.record(GROUP, [e.id for e in events])


def test_a_batch_that_dies_before_its_commit_leaves_no_fact_and_no_record(store, changes, uid):
    unit, events = batch(store, changes, [b.program(f"P-{uid}")])
    with pytest.raises(RuntimeError), unit as uow:
        apply(uow, events)
        uow.flush()  # the facts are written ...
        raise RuntimeError("... and the process dies before the commit")
    assert store.db["analytics_programs"].count_documents({}) == 0
    assert store.db["analytics_processed_events"].count_documents({}) == 0
    assert changes.take() == (set(), set())  # nothing committed, so no report is out of date


def test_facts_commit_with_their_records_and_a_known_fact_does_not_abort_the_next_batch(store, changes, uid):
    for _ in range(2):  # the same fact in a new event (a republished program), as a second batch
        unit, events = batch(store, changes, [b.program(f"P-{uid}")])
        with unit as uow:
            apply(uow, events)
    assert store.db["analytics_programs"].count_documents({}) == 1
    assert store.db["analytics_processed_events"].count_documents({}) == 2
    assert changes.take() == ({f"P-{uid}"}, set())


def test_an_erasure_strips_the_profile_written_earlier_in_the_same_batch(store, changes, uid):
    unit, events = batch(store, changes, [b.profile(f"E-{uid}", 1, name=f"Erased {uid}"), b.deleted(f"E-{uid}", 2)])
    with unit as uow:
        apply(uow, events)
    people = list(store.db["analytics_people"].find({}, {"_id": 0}))
    assert len(people) == 2 and not any("name" in p or "email" in p or "employee_id" in p for p in people)
