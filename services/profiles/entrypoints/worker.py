"""The profiles worker: relays the outbox of people and goals to Kafka (it consumes nothing)."""

from __future__ import annotations

from services.profiles.adapters.indexes import INDEXES, OUTBOX_COLLECTIONS
from shared.worker import Loop, WorkerContext


def loops(context: WorkerContext) -> list[Loop]:
    context.prepare(INDEXES)
    return [context.relay_loop(OUTBOX_COLLECTIONS)]
