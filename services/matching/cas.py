"""Compare-and-set updates that stay correct on FerretDB as well as on MongoDB.

On MongoDB an update with a condition is atomic. FerretDB 1.x on SQLite (the local store) runs an
update as "query, then replace the whole document" outside a transaction, so two updates of one
document at the same moment can both "succeed" while one silently undoes the other. The writer that
meets us on the same document is the outbox relay clearing events it has just published. So a
write first lets the relay finish with the document (its pending events gone, briefly awaited), and
is read back through a one-off token: a write that did not stick reports False, and the caller
re-reads and decides again, exactly as after a lost race. On MongoDB this costs two cheap reads.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from pymongo.collection import Collection

from shared.outbox import PENDING

log = logging.getLogger(__name__)

TOKEN = "_write_token"
RELAY_WAIT_SECONDS = 3.0  # the relay clears within OUTBOX_POLL_SECONDS; with Kafka down we go ahead anyway


def compare_and_set(collection: Collection, condition: Mapping[str, Any], update: Mapping[str, Any]) -> bool:
    """Apply `update` to the document matching `condition` (which names its `_id`); True if it stuck."""
    await_relay(collection, [condition["_id"]])
    token = uuid.uuid4().hex
    stamped = {op: dict(fields) for op, fields in update.items()}
    stamped.setdefault("$set", {})[TOKEN] = token
    if not collection.update_one(dict(condition), stamped).matched_count:
        return False
    if collection.find_one({"_id": condition["_id"], TOKEN: token}, {"_id": 1}) is None:
        log.warning("a write to %s/%s was undone by a concurrent one; retrying", collection.name, condition["_id"])
        return False
    return True


def await_relay(collection: Collection, ids: Iterable[Any]) -> None:
    """Wait (briefly) until the relay has cleared the published events of these documents."""
    query = {"_id": {"$in": list(ids)}, PENDING: True}
    deadline = time.monotonic() + RELAY_WAIT_SECONDS
    while collection.find_one(query, {"_id": 1}) is not None:
        if time.monotonic() > deadline:
            log.warning("outbox of %s still pending after %.0f s; writing anyway", collection.name, RELAY_WAIT_SECONDS)
            return
        time.sleep(0.05)
