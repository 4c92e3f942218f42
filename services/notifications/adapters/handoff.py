"""From this process's consumer to its dispatchers, in memory: notifications stored already claimed.

The consumer reserves a claim for a batch it is about to store (`reserve`), stores the batch under
it, and offers it after the commit (`offer`), which wakes a dispatcher. Nothing is lost if the
process stops first: the claim's lease ends and any dispatcher takes the batch from the store. A
full hand (`capacity`) makes the consumer store new notifications unclaimed instead.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from services.notifications.use_cases.ports import Claim

Doc = dict[str, Any]


class LocalHandoff:
    def __init__(self, lease: timedelta, capacity: int = 5000):
        self._lease, self._capacity = lease, capacity
        self._batches: deque[tuple[Claim, list[Doc]]] = deque()
        self._held, self._lock = 0, threading.Lock()
        self.wake = threading.Event()

    def reserve(self, count: int, now: datetime) -> Claim | None:
        with self._lock:
            if self._held + count > self._capacity:
                return None
        return Claim(uuid.uuid4().hex, now + self._lease)

    def offer(self, claim: Claim, docs: Sequence[Doc]) -> None:
        if not docs:
            return
        with self._lock:
            self._batches.append((claim, list(docs)))
            self._held += len(docs)
        self.wake.set()

    def take(self) -> tuple[Claim, list[Doc]] | None:
        with self._lock:
            if not self._batches:
                return None
            claim, docs = self._batches.popleft()
            self._held -= len(docs)
        return claim, docs

    def forget(self, employee_id: str) -> None:
        """Erasure: their notifications are gone from the store; drop the copies waiting here too."""
        with self._lock:
            kept = deque((claim, [d for d in docs if d["recipient_id"] != employee_id])
                         for claim, docs in self._batches)
            self._batches = deque(batch for batch in kept if batch[1])
            self._held = sum(len(docs) for _, docs in self._batches)


class NoHandoff:
    """A process without a dispatcher (the API): new notifications are stored due now, unclaimed."""

    def reserve(self, count: int, now: datetime) -> Claim | None:
        return None

    def offer(self, claim: Claim, docs: Sequence[Doc]) -> None:
        return None

    def forget(self, employee_id: str) -> None:
        return None
