"""Erasure on a compacted topic: once a person's `profile.deleted` is published, a tombstone for their key.

`mentoring.profiles` is compacted (shared.events.catalog.PROFILES): a record with a null value for a key
makes the log cleaner drop every earlier record of that key, the erased person's old profiles among
them. The tombstone follows the deleted event on the same producer and key (so the same partition) and
is sent only once the broker acknowledged that event. If it is not acknowledged, the deleted event is
reported unpublished (the outbox keeps it, and both go again next round) and nothing queued behind it
is sent this round, so a key's records keep their order (deleted, tombstone, then a rehire's created).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from kafka import KafkaProducer

from shared.events import Event
from shared.events import catalog as ev
from shared.outbox import Publish

log = logging.getLogger(__name__)


class ErasureTombstones:
    """A relay publisher: `publish`'s events, and after each acknowledged erasure its key's tombstone."""

    def __init__(self, producer: KafkaProducer, publish: Publish, *, timeout_seconds: float = 15.0):
        self._producer, self._publish, self._timeout = producer, publish, timeout_seconds

    def __call__(self, events: Sequence[Event]) -> set[str]:
        published: set[str] = set()
        for run in up_to_each_erasure(events):
            acked = self._publish(run)
            last = run[-1]
            if last.type == ev.PROFILE_DELETED.name and last.id in acked and not self._tombstone(last):
                acked = acked - {last.id}
            published |= acked
            if len(acked) < len(run):
                break  # the rest waits for the next round, behind what did not go
        return published

    def _tombstone(self, erasure: Event) -> bool:
        try:
            self._producer.send(erasure.topic, key=erasure.key.encode(), value=None).get(timeout=self._timeout)
        except Exception as exc:  # not acknowledged: the erasure is published again next round
            log.warning("tombstone for %s not acknowledged: %s", erasure.key, exc)
            return False
        return True


def up_to_each_erasure(events: Sequence[Event]) -> list[list[Event]]:
    """The events in runs, each ending at an erasure (the last run may end without one)."""
    runs: list[list[Event]] = [[]]
    for event in events:
        runs[-1].append(event)
        if event.type == ev.PROFILE_DELETED.name:
            runs.append([])
    return [run for run in runs if run]
