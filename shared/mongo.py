"""MongoDB access: one pooled client per process (created after fork), indexes at start-up."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pymongo import ASCENDING, MongoClient
from pymongo.database import Database


@dataclass(frozen=True)
class IndexSpec:
    collection: str
    keys: Sequence[tuple[str, int]]
    options: Mapping[str, object] = field(default_factory=dict)


class Store:
    """Lazily opens the MongoClient in the current process; safe to build before gunicorn forks."""

    def __init__(self, uri: str, db_name: str, *, timeout_ms: int = 5000):
        self._uri, self._db_name, self._timeout_ms = uri, db_name, timeout_ms
        self._client: MongoClient | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> MongoClient:
        with self._lock:
            if self._client is None or self._pid != os.getpid():
                self._client = MongoClient(self._uri, serverSelectionTimeoutMS=self._timeout_ms,
                                           connectTimeoutMS=self._timeout_ms, tz_aware=True,
                                           appname="tandem")
                self._pid = os.getpid()
            return self._client

    @property
    def db(self) -> Database:
        return self.client[self._db_name]

    def ping(self) -> bool:
        try:
            self.db.command("ping")
            return True
        except Exception:  # readiness answers no, whatever the cause
            return False

    def ensure_indexes(self, specs: Iterable[IndexSpec]) -> None:
        for spec in specs:
            self.db[spec.collection].create_index(list(spec.keys), **dict(spec.options))

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def asc(*names: str) -> list[tuple[str, int]]:
    return [(name, ASCENDING) for name in names]
