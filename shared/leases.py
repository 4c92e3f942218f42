"""Store-backed leases so exactly one worker replica runs a job (or the outbox relay) at a time.

The holder renews in the store only once half the lease has run, and a replica that lost the race
asks again only after a while: a relay asks for its lease on every tick, and a write per tick was
most of what an idle stack cost the store.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared.timeutil import utcnow


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Lease:
    """A named lease held for `ttl` seconds and renewed by its holder."""

    def __init__(self, collection: Collection, name: str, *, holder: str, ttl_seconds: float = 15.0,
                 clock: Callable[[], float] = time.monotonic):
        self._coll, self._name, self._holder, self._ttl = collection, name, holder, ttl_seconds
        self._clock = clock
        self._renew_at = self._ask_again_at = float("-inf")

    def acquire(self) -> bool:
        """Take or renew the lease; False while another live holder has it."""
        now = self._clock()
        if now < self._renew_at:
            return True  # renewed less than half a lease ago
        if now < self._ask_again_at:
            return False  # another replica held it a moment ago
        if self._take():
            self._renew_at, self._ask_again_at = now + self._ttl / 2, float("-inf")
            return True
        self._renew_at, self._ask_again_at = float("-inf"), now + min(self._ttl / 3, 5.0)
        return False

    def _take(self) -> bool:
        now = utcnow()
        try:
            self._coll.find_one_and_update(
                {"_id": self._name, "$or": [{"holder": self._holder}, {"expires_at": {"$lt": now}}]},
                {"$set": {"holder": self._holder, "expires_at": now + timedelta(seconds=self._ttl)}},
                upsert=True)
        except DuplicateKeyError:  # the filter missed: someone else holds it, so the upsert collided
            return False
        return True

    def release(self) -> None:
        self._renew_at = float("-inf")
        self._coll.delete_one({"_id": self._name, "holder": self._holder})
