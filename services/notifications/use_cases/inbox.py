"""A person's inbox: their notifications newest first, rendered from what is known now; read receipts.

The inbox copy is the notification itself; it is rendered when read, so it never holds a name and
always shows the names as they are now (someone erased appears as a neutral stand-in).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from services.notifications.domain.composition import Known
from services.notifications.use_cases.composing import known_for, render
from services.notifications.use_cases.ports import Doc, Renderer, UnitOfWork
from shared.errors import NotFound
from shared.timeutil import to_rfc3339, utcnow

log = logging.getLogger(__name__)


def notification(uow: UnitOfWork, notification_id: str) -> Doc:
    doc = uow.notifications.get(notification_id)
    if doc is None:
        raise NotFound(f"no notification {notification_id} in any inbox")
    return doc


def inbox_page(uow: UnitOfWork, renderer: Renderer, recipient_id: str, *, unread: bool, limit: int,
               cursor: str | None) -> dict[str, Any]:
    filters = {"recipient_id": recipient_id, "unread": unread}
    docs, next_cursor = uow.notifications.page(filters, limit=limit, cursor=cursor)
    known = known_for(uow, docs)
    return {"items": [inbox_item(renderer, doc, known) for doc in docs], "next_cursor": next_cursor}


def mark_read(uow: UnitOfWork, renderer: Renderer, notification_id: str) -> dict[str, Any]:
    """Idempotent: the first reading time stays."""
    uow.notifications.mark_read(notification_id, utcnow())
    doc = notification(uow, notification_id)
    return inbox_item(renderer, doc, known_for(uow, [doc]))


def inbox_item(renderer: Renderer, doc: Doc, known: Known) -> dict[str, Any]:
    try:
        message, facts = render(renderer, doc, known)
        shown = {"subject": message.subject, "text": message.text, "html": message.html, "facts": facts}
    except Exception:  # a notification that cannot be rendered still shows up, plainly
        log.exception("inbox item %s could not be rendered", doc["_id"])
        shown = {"subject": doc["kind"].replace("_", " "), "text": "", "html": "", "facts": {}}
    return {"notification_id": doc["_id"], "recipient_id": doc["recipient_id"], "kind": doc["kind"],
            "program_id": doc.get("program_id"), **shown, "created_at": stamp(doc["created_at"]),
            "read_at": stamp(doc.get("read_at")),
            "channels": {name: state["status"] for name, state in doc["channels"].items()}}


def stamp(value: Any) -> str | None:
    return to_rfc3339(value) if isinstance(value, datetime) else value
