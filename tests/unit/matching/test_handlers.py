"""Matching's table of reactions: every event type of the topics it consumes, replays harmless."""

from __future__ import annotations

import contextlib

from services.matching.entrypoints.handlers import EVENT_HANDLERS
from shared import topology
from shared.consumer import IdempotentConsumer
from shared.events import catalog as ev
from shared.events import new_event
from tests.unit.matching.fakes import FakeUnitOfWork
from tests.unit.matching.use_cases.conftest import person


class Tracking:
    def __init__(self) -> None:
        self.ids: set[str] = set()

    def seen(self, group, event_ids):
        return self.ids & set(event_ids)

    def record(self, group, event_ids):
        self.ids |= set(event_ids)


def test_every_event_type_of_the_consumed_topics_has_a_handler():
    consumed = {t.name for t in topology.of("matching").consumes}
    declared = {t for t in ev.EVENT_TYPES.values() if t.topic.name in consumed}
    assert set(EVENT_HANDLERS) == declared


def test_a_redelivered_profile_event_changes_nothing_through_the_idempotent_consumer():
    uow = FakeUnitOfWork()
    uow.processed = Tracking()
    consumer = IdempotentConsumer(EVENT_HANDLERS, lambda: contextlib.nullcontext(uow), group="matching")
    created = new_event(ev.PROFILE_CREATED, {**person("ann"), "email": "ann@example.com"}, source="/tests")
    assert consumer.apply([created])[created.id].status == "handled"
    uow.people.people["ann"]["grade"] = 99  # a later change the redelivery must not undo
    assert consumer.apply([created])[created.id].status == "skipped"
    assert uow.people.get("ann")["grade"] == 99
