"""Create every Kafka topic (with its DLQ) and every service's indexes: `python -m shared.provision`.

Run before a rollout (the Kubernetes provision Job); workers also do their own part at start-up.
"""

from __future__ import annotations

import importlib
import logging
import sys

from shared.config import load_config
from shared.events.catalog import TOPICS_DECLARED
from shared.kafka import ensure_topics
from shared.mongo import Store
from shared.topology import TOPOLOGY
from shared.unit_of_work import tracking_indexes

SERVICES = tuple(TOPOLOGY)


def service_indexes(name: str) -> list:
    """A service's index specs (INDEXES of its adapters/indexes.py, or of a repository module not yet
    moved into the house plan), if the service exists."""
    for module in (f"services.{name}.adapters.indexes", f"services.{name}.repository"):
        try:
            return list(importlib.import_module(module).INDEXES)
        except ModuleNotFoundError:
            continue
    return []


def main() -> int:
    logging.basicConfig(level="INFO")
    config = load_config("provision")
    partitions = int(config.extra.get("partitions", 3))
    ensure_topics(config.kafka_servers, TOPICS_DECLARED, partitions=partitions)
    store = Store(config.mongodb_uri, config.mongodb_db)
    for name in SERVICES:
        store.ensure_indexes([*service_indexes(name), *tracking_indexes(name)])
    print(f"provisioned {len(TOPICS_DECLARED)} topics (+ DLQs) and indexes for {', '.join(SERVICES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
