"""Use cases on the read side: inboxes, read receipts, preferences and the delivery log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from services.notifications.domain import delivery
from services.notifications.queue import DispatchQueue
from services.notifications.repository import CHANNELS, NotificationRepository
from services.notifications.service import DEFAULT_PREFERENCES
from shared.errors import NotFound
from shared.pagination import decode_cursor, encode_cursor
from shared.timeutil import to_rfc3339, utcnow


class InboxService:
    def __init__(self, repo: NotificationRepository, queue: DispatchQueue):
        self.repo, self.queue = repo, queue

    def get(self, notification_id: str) -> dict[str, Any]:
        item = self.repo.get_inbox_item(notification_id)
        if item is None:
            raise NotFound(f"no notification {notification_id} in any inbox")
        return item

    def inbox(self, recipient_id: str, *, unread: bool, limit: int, cursor: str | None) -> dict[str, Any]:
        query: dict[str, Any] = {"recipient_id": recipient_id}
        if unread:
            query["read_at"] = None
        return self.repo.page_inbox(query, limit=limit, cursor=cursor, render=self._inbox_items)

    def mark_read(self, notification_id: str) -> dict[str, Any]:
        self.repo.mark_read(notification_id, utcnow())
        return self._inbox_items([self.get(notification_id)])[0]

    def _inbox_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        states = self.channel_states(self.repo.records([i["_id"] for i in items]))
        return [render_inbox_item(i, states.get(i["_id"], {})) for i in items]

    def channel_states(self, records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        """Each channel's current state: whichever of its open round and its last attempt knows more.

        The two are written one after the other, so a read can catch a round that has just been
        worked on (its attempt recorded, the round not yet dropped); the attempt count decides.
        """
        records = list(records)
        ids = [r["_id"] for r in records]
        open_rounds, latest = self.queue.open_rounds(ids), {}
        for attempt in self.queue.records_of(ids):
            key = (attempt["notification_id"], attempt["channel"])
            if attempt["attempt"] >= latest.get(key, {}).get("attempt", -1):
                latest[key] = attempt
        states = {}
        for record in records:
            channels = {name: dict(state) for name, state in record["channels"].items()}
            open_round = open_rounds.get(record["_id"], {}).get("channels", {})
            for name in channels:
                attempted = latest.get((record["_id"], name), {}).get("state")
                if attempted is not None:
                    channels[name] = attempted
                if name in open_round and open_round[name]["attempts"] >= (attempted or {}).get("attempts", 0):
                    channels[name] = open_round[name]
            states[record["_id"]] = channels
        return states

    def deliveries(self, filters: Mapping[str, Any], *, limit: int, cursor: str | None) -> dict[str, Any]:
        """Newest first; a `status` filter is applied to the composed state, page by page."""
        query: dict[str, Any] = {k: filters[k] for k in ("recipient_id", "kind", "program_id") if filters.get(k)}
        if filters.get("channel"):
            query[f"channels.{filters['channel']}"] = {"$exists": True}
        if cursor:
            query = {"$and": [query, {"sort_key": {"$lt": decode_cursor(cursor)}}]}
        found: list[tuple[dict, dict]] = []
        for chunk in _chunks(self.repo.newest_first(query), 200):
            states = self.channel_states(chunk)
            found += [(r, states[r["_id"]]) for r in chunk if _matches(states[r["_id"]], filters)]
            if len(found) > limit:
                break
        more, found = len(found) > limit, found[:limit]
        return {"items": [render_delivery(r, s) for r, s in found],
                "next_cursor": encode_cursor(found[-1][0]["sort_key"]) if more and found else None}

    def preferences(self, employee_id: str) -> dict[str, Any]:
        stored = self.repo.preferences_by_id([employee_id]).get(employee_id, {})
        return {"employee_id": employee_id, **DEFAULT_PREFERENCES, "updated_at": None,
                **{k: v for k, v in stored.items() if k != "_id"}}

    def save_preferences(self, employee_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        prefs = {**DEFAULT_PREFERENCES, **body, "updated_at": to_rfc3339(utcnow())}
        self.repo.save_preferences(employee_id, prefs)
        return {"employee_id": employee_id, **prefs}


def _chunks(cursor, size: int):
    chunk = []
    for doc in cursor:
        chunk.append(doc)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _matches(channels: Mapping[str, Any], filters: Mapping[str, Any]) -> bool:
    if not filters.get("status"):
        return True
    names = [filters["channel"]] if filters.get("channel") else list(CHANNELS)
    return any(channels.get(n, {}).get("status") == filters["status"] for n in names)


def render_inbox_item(item: Mapping[str, Any], channels: Mapping[str, Any]) -> dict[str, Any]:
    return {"notification_id": item["_id"], "recipient_id": item["recipient_id"], "kind": item["kind"],
            "program_id": item.get("program_id"), "subject": item["subject"], "text": item["text"],
            "html": item["html"], "facts": item.get("facts", {}), "created_at": _stamp(item["created_at"]),
            "read_at": _stamp(item.get("read_at")),
            "channels": {name: state["status"] for name, state in channels.items()}}


def render_delivery(record: Mapping[str, Any], channels: Mapping[str, Any]) -> dict[str, Any]:
    return {"notification_id": record["_id"], "recipient_id": record["recipient_id"], "kind": record["kind"],
            "program_id": record.get("program_id"), "created_at": _stamp(record["created_at"]),
            "deliveries": [_render_channel(name, state) for name, state in channels.items()]}


def _render_channel(name: str, state: Mapping[str, Any]) -> dict[str, Any]:
    return {"channel": name, "status": state["status"], "attempts": state["attempts"],
            "next_attempt_at": _stamp(state.get("next_at")) if state["status"] in delivery.OPEN else None,
            "delivered_at": _stamp(state.get("delivered_at")), "reason": state.get("reason"),
            "log": [{"at": _stamp(e["at"]), "attempt": e["attempt"], "outcome": e["outcome"],
                     "detail": e.get("detail") or None} for e in state.get("log", [])]}


def _stamp(value: Any) -> str | None:
    return to_rfc3339(value) if isinstance(value, datetime) else value
