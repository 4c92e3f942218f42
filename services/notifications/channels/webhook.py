"""Signed webhooks: a JSON POST with `X-Tandem-Signature: sha256=<hex HMAC-SHA256 of the raw body>`."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

import requests

from services.notifications.domain.delivery import SendResult

RETRYABLE_STATUS = frozenset({408, 425, 429})


def signature(secret: str, body: bytes) -> str:
    """The header value a receiver recomputes with the shared WEBHOOK_SECRET."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(doc: Mapping[str, Any]) -> bytes:
    return json.dumps(doc["payload"], separators=(",", ":"), sort_keys=True).encode()


class WebhookSender:
    def __init__(self, secret: str, timeout: float = 10.0, session: requests.Session | None = None):
        self._secret, self._timeout = secret, timeout
        self._session = session or requests.Session()

    def send(self, doc: Mapping[str, Any], url: str) -> SendResult:
        if not self._secret:  # an unsigned webhook could be forged by anyone; never send one
            return SendResult(False, "webhooks are not configured (WEBHOOK_SECRET is empty)", permanent=True)
        body = body_of(doc)
        headers = {"Content-Type": "application/json", "User-Agent": "Tandem-Notifications/1",
                   "X-Tandem-Delivery": doc["_id"], "X-Tandem-Kind": doc["kind"],
                   "X-Tandem-Signature": signature(self._secret, body)}
        try:
            response = self._session.post(url, data=body, headers=headers, timeout=self._timeout,
                                          allow_redirects=False)
        except requests.RequestException as exc:
            return SendResult(False, f"webhook unreachable: {type(exc).__name__}")
        if 200 <= response.status_code < 300:
            return SendResult(True, f"HTTP {response.status_code}")
        permanent = 400 <= response.status_code < 500 and response.status_code not in RETRYABLE_STATUS
        return SendResult(False, f"HTTP {response.status_code}", permanent=permanent)

    def close(self) -> None:
        self._session.close()
