"""The delivery log for program admins: each notification's channels with status, attempts and every try."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.notifications.domain import delivery
from services.notifications.use_cases.inbox import stamp
from services.notifications.use_cases.ports import Doc, UnitOfWork

FILTERS = ("recipient_id", "kind", "program_id", "channel", "status")


def delivery_log(uow: UnitOfWork, filters: Mapping[str, Any], *, limit: int, cursor: str | None) -> dict[str, Any]:
    """Newest first; `status` with `channel` is that channel's, without it any channel's."""
    wanted = {k: filters[k] for k in FILTERS if filters.get(k)}
    docs, next_cursor = uow.notifications.page(wanted, limit=limit, cursor=cursor)
    return {"items": [render_delivery(d) for d in docs], "next_cursor": next_cursor}


def render_delivery(doc: Doc) -> dict[str, Any]:
    return {"notification_id": doc["_id"], "recipient_id": doc["recipient_id"], "kind": doc["kind"],
            "program_id": doc.get("program_id"), "created_at": stamp(doc["created_at"]),
            "deliveries": [_channel(name, state) for name, state in doc["channels"].items()]}


def _channel(name: str, state: Mapping[str, Any]) -> dict[str, Any]:
    return {"channel": name, "status": state["status"], "attempts": state["attempts"],
            "next_attempt_at": stamp(state.get("next_at")) if state["status"] in delivery.OPEN else None,
            "delivered_at": stamp(state.get("delivered_at")), "reason": state.get("reason"),
            "log": [{"at": stamp(e["at"]), "attempt": e["attempt"], "outcome": e["outcome"],
                     "detail": e.get("detail") or None} for e in state.get("log", [])]}
