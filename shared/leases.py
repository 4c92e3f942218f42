"""Store-backed leases so exactly one worker replica runs a job (or the outbox relay) at a time."""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared.timeutil import utcnow


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Lease:
    """A named lease held for `ttl` seconds and renewed by its holder."""

    def __init__(self, collection: Collection, name: str, *, holder: str, ttl_seconds: float = 15.0):
        self._coll, self._name, self._holder, self._ttl = collection, name, holder, ttl_seconds

    def acquire(self) -> bool:
        """Take or renew the lease; False while another live holder has it."""
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
        self._coll.delete_one({"_id": self._name, "holder": self._holder})
