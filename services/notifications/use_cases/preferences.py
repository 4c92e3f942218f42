"""How a person wants to hear from Tandem: email on or off, a webhook, the weekly digest, quiet hours."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.notifications.domain.webhook_targets import url_refusal
from services.notifications.use_cases.ports import Doc, UnitOfWork
from shared.errors import Invalid
from shared.timeutil import to_rfc3339, utcnow

DEFAULT_PREFERENCES: dict[str, Any] = {"email": True, "webhook_url": None, "digest": "weekly", "quiet_hours": None}


def preferences_of(uow: UnitOfWork, employee_id: str) -> Doc:
    """The stored preferences, or the defaults until the person says otherwise."""
    stored = uow.preferences.of([employee_id]).get(employee_id, {})
    return {"employee_id": employee_id, **DEFAULT_PREFERENCES, "updated_at": None,
            **{k: v for k, v in stored.items() if k != "_id"}}


def save_preferences(uow: UnitOfWork, employee_id: str, body: Mapping[str, Any], *,
                     allow_private_webhooks: bool = False) -> Doc:
    """Replace them all (omitted fields take their defaults); a webhook must point at a public address."""
    url = body.get("webhook_url")
    refusal = url_refusal(url, allow_private_webhooks) if url else None
    if refusal:
        raise Invalid("webhook_url is not allowed", {"webhook_url": [f"webhook_url {refusal}"]})
    prefs = {**DEFAULT_PREFERENCES, **body, "updated_at": to_rfc3339(utcnow())}
    uow.preferences.save(employee_id, prefs)
    return {"employee_id": employee_id, **prefs}
