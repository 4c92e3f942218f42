"""Mongo adapter for the notification log, the inbox and preferences (the dispatch side is `queue.py`).

`notifications` holds one record per (rule, recipient, occasion): its deterministic `_id` makes a
second insert a no-op, and it is never updated (delivery state lives in the queue while open and in
the attempt log after). `inbox` is what the recipient reads: inserted by the dispatcher, marked read
by the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo.database import Database

from services.notifications import projections as p
from services.notifications import queue as q
from services.notifications.store import by_id, insert_new, page_newest_first
from shared.mongo import IndexSpec, asc

NOTIFICATIONS, INBOX = "notifications_notifications", "notifications_inbox"
PREFERENCES = "notifications_preferences"
CHANNELS = ("inbox", "email", "webhook")

INDEXES = [  # used by MongoDB for the API's and jobs' queries; the dispatch path needs none
    IndexSpec(NOTIFICATIONS, asc("recipient_id", "sort_key")),
    IndexSpec(NOTIFICATIONS, asc("sort_key")),
    IndexSpec(INBOX, asc("recipient_id", "sort_key")),
    *[IndexSpec(name, asc("notification_id")) for name in (q.QUEUE, q.TIMERS, q.OUTBOX, q.ATTEMPTS)],
    *[IndexSpec(name, asc("recipient_id")) for name in (q.QUEUE, q.TIMERS, q.OUTBOX, q.ATTEMPTS, q.CLAIMS)],
    IndexSpec(p.SESSIONS, asc("mentorship_id")),
]


class NotificationRepository:
    def __init__(self, db: Database):
        self.db = db
        self.notifications, self.inbox, self.preferences = db[NOTIFICATIONS], db[INBOX], db[PREFERENCES]

    def insert_new(self, records: Sequence[Mapping[str, Any]]) -> set[str]:
        """The ids of the records that were new (the others had been created before)."""
        return insert_new(self.notifications, records)

    def records(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return list(self.notifications.find({"_id": {"$in": list(ids)}}))

    def newest_first(self, query: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        return self.notifications.find(dict(query)).sort("sort_key", -1).batch_size(200)

    def add_to_inbox(self, items: Sequence[Mapping[str, Any]]) -> None:
        insert_new(self.inbox, items)

    def get_inbox_item(self, notification_id: str) -> dict[str, Any] | None:
        return self.inbox.find_one({"_id": notification_id})

    def page_inbox(self, query: Mapping[str, Any], **kw) -> dict[str, Any]:
        return page_newest_first(self.inbox, query, **kw)

    def mark_read(self, notification_id: str, at: datetime) -> None:
        item = self.inbox.find_one({"_id": notification_id}, {"read_at": 1})
        if item is not None and item.get("read_at") is None:
            self.inbox.update_one({"_id": notification_id}, {"$set": {"read_at": at}})

    def preferences_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return by_id(self.preferences, ids)

    def digest_off(self) -> set[str]:
        return {d["_id"] for d in self.preferences.find({"digest": "off"}, {"_id": 1})}

    def save_preferences(self, employee_id: str, prefs: Mapping[str, Any]) -> None:
        self.preferences.replace_one({"_id": employee_id}, {"_id": employee_id, **prefs}, upsert=True)

    def erase(self, employee_id: str) -> None:
        """Right to erasure: the person's notifications, inbox and preferences (the queue erases its part)."""
        self.preferences.delete_one({"_id": employee_id})
        self.notifications.delete_many({"recipient_id": employee_id})
        self.inbox.delete_many({"recipient_id": employee_id})
