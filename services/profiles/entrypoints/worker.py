"""The profiles worker: relays the outbox of people and goals to Kafka (it consumes nothing)."""

from __future__ import annotations

from services.profiles.adapters.indexes import INDEXES, OUTBOX_COLLECTIONS
from services.profiles.adapters.tombstones import ErasureTombstones
from shared.kafka import EventPublisher
from shared.worker import Loop, WorkerContext


def loops(context: WorkerContext) -> list[Loop]:
    context.prepare(INDEXES)
    events = EventPublisher(context.producer, service=context.config.service)
    return [context.relay_loop(OUTBOX_COLLECTIONS, publisher=ErasureTombstones(context.producer, events))]
