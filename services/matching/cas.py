"""Compare-and-set: an update that applies only while its condition (the `_id` and a guard) still holds.

A single-document update with a condition is atomic on MongoDB, and on the local FerretDB behind
its write gate (deploy/local/ferretdb). A False answer means a concurrent writer got there first:
the caller re-reads and decides again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.collection import Collection


def compare_and_set(collection: Collection, condition: Mapping[str, Any], update: Mapping[str, Any]) -> bool:
    """Apply `update` to the document matching `condition` (which names its `_id`); True if it applied."""
    return collection.update_one(dict(condition), dict(update)).matched_count == 1
