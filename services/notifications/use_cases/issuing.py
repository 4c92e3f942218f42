"""Turn notices into notifications, once each: one document per (rule, recipient, occasion).

A notification is stored with its channels chosen from the recipient's preferences, its inbox copy
delivered at once (the inbox renders it when read) and a `due` time for the dispatcher. When this
process runs a dispatcher, the consumer's batch is stored already claimed for it and handed over
after the commit, so the new notifications go out without a claim round trip (see `dispatch`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from services.notifications.domain import delivery
from services.notifications.domain.notices import Notice
from services.notifications.use_cases.ports import Claim, Doc, UnitOfWork
from services.notifications.use_cases.preferences import DEFAULT_PREFERENCES
from shared import tracing
from shared.timeutil import to_rfc3339, utcnow


def issue(uow: UnitOfWork, notices: Sequence[Notice], now: datetime | None = None) -> int:
    """Store the notices not stored before; returns how many were new (the rest change nothing)."""
    now = now or utcnow()
    unique = list({n.notification_id: n for n in notices}.values())
    new_ids = uow.notifications.missing([n.notification_id for n in unique]) if unique else set()
    fresh = [n for n in unique if n.notification_id in new_ids]
    if not fresh:
        return 0
    stored = uow.preferences.of({n.recipient_id for n in fresh})
    claim = uow.handoff.reserve(len(fresh), now)
    docs = [notification_doc(n, {**DEFAULT_PREFERENCES, **stored.get(n.recipient_id, {})}, now, claim)
            for n in fresh]
    created = uow.notifications.add(docs)
    if claim is not None:
        handed = [d for d in docs if d["_id"] in created]
        uow.after_commit(lambda: uow.handoff.offer(claim, handed))
    return len(created)


def notification_doc(notice: Notice, prefs: Mapping[str, Any], now: datetime, claim: Claim | None) -> Doc:
    """The stored notification: ids and non-personal facts only, its channels, and when it is due."""
    doc: Doc = {"_id": notice.notification_id, "recipient_id": notice.recipient_id, "kind": notice.kind,
                "program_id": notice.program_id, "about": dict(notice.about), "facts": dict(notice.facts),
                "names": notice.names, "created_at": now, "read_at": None,
                "sort_key": f"{to_rfc3339(now)}|{notice.notification_id}", "channels": channels_for(prefs, now),
                "due": claim.until if claim else now,
                "traceparent": notice.traceparent or tracing.current_traceparent()}  # its email joins that trace
    if claim is not None:
        doc["claim"] = claim.token
    return doc


def channels_for(prefs: Mapping[str, Any], now: datetime) -> dict[str, dict[str, Any]]:
    """The inbox always; email unless turned off; the webhook when one is set."""
    channels: dict[str, dict[str, Any]] = {"inbox": delivery.delivered_in_inbox(now)}
    if prefs.get("email", True):
        channels["email"] = delivery.pending(now)
    if prefs.get("webhook_url"):
        channels["webhook"] = {**delivery.pending(now), "url": prefs["webhook_url"]}
    return channels
