"""Use cases on the write side: turn notices into notifications (once each) and describe what happened."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from services.notifications.domain import delivery
from services.notifications.domain.notices import Notice
from services.notifications.messages import Message
from services.notifications.queue import DispatchQueue, entry_for
from services.notifications.repository import NotificationRepository
from shared import outbox
from shared.events import Event, new_event
from shared.timeutil import to_rfc3339, utcnow

SOURCE = "/tandem/notifications"
DEFAULT_PREFERENCES = {"email": True, "webhook_url": None, "digest": "weekly", "quiet_hours": None}


def outcome_event(item: Mapping[str, Any], channel: str, state: Mapping[str, Any], status: str) -> Event:
    """`mentoring.notification.delivered|failed`, keyed by the recipient."""
    data = {"notification_id": item["notification_id"], "recipient_id": item["recipient_id"], "kind": item["kind"],
            "channel": channel, "status": status, "attempts": state["attempts"], "reason": state.get("reason"),
            "program_id": item.get("program_id")}
    return new_event(f"mentoring.notification.{status}", data, source=SOURCE)


def attempt_record(item: Mapping[str, Any], channel: str, state: Mapping[str, Any],
                   ended: str | None) -> dict[str, Any]:
    """One immutable try; the final one carries the delivered/failed event in the same insert."""
    last = state["log"][-1]
    record = {"_id": f"{item['notification_id']}:{channel}:{state['attempts']}",
              "notification_id": item["notification_id"], "recipient_id": item["recipient_id"],
              "kind": item["kind"], "channel": channel, "attempt": state["attempts"], "outcome": last["outcome"],
              "detail": last.get("detail"), "at": last["at"], "state": dict(state)}
    return outbox.stamp_new(record, [outcome_event(item, channel, state, ended)] if ended else [])


def inbox_item(item: Mapping[str, Any], message: Message, now: datetime) -> dict[str, Any]:
    """The recipient's copy; the inbox never waits for quiet hours."""
    return {"_id": item["notification_id"], "recipient_id": item["recipient_id"], "kind": item["kind"],
            "program_id": item.get("program_id"), "subject": message.subject, "text": message.text,
            "html": message.html, "facts": dict(item["facts"]), "created_at": item["created_at"],
            "sort_key": item["sort_key"], "delivered_at": now, "read_at": None}


def contact_of(person: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Where to reach the recipient, as known when the notification was created."""
    if not person or person.get("erased"):
        return None
    return {"name": person.get("name"), "email": person.get("email"), "timezone": person.get("timezone")}


class Notifier:
    """Stores each notice once and queues its first dispatch round (inbox, then email/webhook)."""

    def __init__(self, repo: NotificationRepository, queue: DispatchQueue,
                 on_created: Callable[[], None] | None = None):
        self.repo, self.queue, self._on_created = repo, queue, on_created

    def notify(self, notices: Sequence[Notice], people: Mapping[str, Mapping[str, Any]],
               now: datetime | None = None, *, repair: bool = False) -> int:
        """Returns how many notices were new; the rest had been created before and change nothing.

        With `repair` (a redelivered event), a notice recorded before but never queued — the process
        stopped between the two inserts — is queued now; a claimed first round means it was queued.
        """
        if not notices:
            return 0
        now = now or utcnow()
        prefs = self.repo.preferences_by_id({n.recipient_id for n in notices})
        items = [self._item(n, {**DEFAULT_PREFERENCES, **prefs.get(n.recipient_id, {})},
                            people.get(n.recipient_id), now) for n in notices]
        created = self.repo.insert_new([_record(i) for i in items])
        queued = [i for i in items if i["notification_id"] in created
                  or (repair and not self.queue.claimed(f"{i['notification_id']}:0"))]
        self.queue.enqueue([entry_for(i, 0, now, i["channels"]) for i in queued])
        if created and self._on_created:
            self._on_created()  # wake this process's dispatcher instead of waiting for its next poll
        return len(created)

    @staticmethod
    def _item(notice: Notice, prefs: Mapping[str, Any], person: Mapping[str, Any] | None,
              now: datetime) -> dict[str, Any]:
        channels: dict[str, dict] = {"inbox": delivery.pending(now)}
        if prefs["email"]:
            channels["email"] = delivery.pending(now)
        if prefs["webhook_url"]:
            channels["webhook"] = {**delivery.pending(now), "url": prefs["webhook_url"]}
        return {"notification_id": notice.notification_id, "recipient_id": notice.recipient_id,
                "kind": notice.kind, "program_id": notice.program_id, "facts": dict(notice.facts),
                "attachments": [vars(a) for a in notice.attachments], "created_at": now,
                "sort_key": f"{to_rfc3339(now)}|{notice.notification_id}", "channels": channels,
                "contact": contact_of(person), "quiet_hours": prefs["quiet_hours"]}


def _record(item: Mapping[str, Any]) -> dict[str, Any]:
    """The permanent, never-updated record; its `_id` is what makes a notice a one-time thing."""
    fields = ("recipient_id", "kind", "program_id", "facts", "created_at", "sort_key", "channels")
    return {"_id": item["notification_id"], **{k: item[k] for k in fields}}
