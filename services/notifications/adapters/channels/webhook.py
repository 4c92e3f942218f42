"""Signed webhooks: a JSON POST with `X-Tandem-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.

Sent only to a public address (`domain.webhook_targets`): the host is resolved, every address it
resolves to is checked, and the request goes to the checked address (so a name cannot resolve to
something else between check and connect), without following redirects.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from collections.abc import Callable, Mapping
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

import urllib3

from services.notifications.domain.delivery import SendResult
from services.notifications.domain.webhook_targets import Address, address_refusal, url_refusal
from shared import tracing

RETRYABLE_STATUS = frozenset({408, 425, 429})
Post = Callable[[str, Address, bytes, Mapping[str, str], float], int]
Resolve = Callable[[str, int], list[Address]]


def signature(secret: str, body: bytes) -> str:
    """The header value a receiver recomputes with the shared WEBHOOK_SECRET."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(doc: Mapping[str, Any]) -> bytes:
    return json.dumps(doc["payload"], separators=(",", ":"), sort_keys=True).encode()


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to now."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ip_address(info[4][0].split("%", 1)[0]) for info in infos))


def post_pinned(url: str, address: Address, body: bytes, headers: Mapping[str, str], timeout: float) -> int:
    """POST to `url` over a connection to `address` (TLS still checks the URL's host name); no redirects."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    options: dict[str, Any] = {"timeout": urllib3.Timeout(total=timeout), "retries": False, "maxsize": 1}
    if parts.scheme == "https":
        options |= {"server_hostname": parts.hostname, "assert_hostname": parts.hostname, "cert_reqs": "CERT_REQUIRED"}
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(str(address), port, **options)
    else:
        pool = urllib3.HTTPConnectionPool(str(address), port, **options)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        response = pool.urlopen("POST", path, body=body, headers={**headers, "Host": parts.netloc},
                                redirect=False, assert_same_host=False, preload_content=True)
        return response.status
    finally:
        pool.close()


class WebhookSender:
    def __init__(self, secret: str, timeout: float = 10.0, *, allow_private: bool = False,
                 resolver: Resolve = resolve, post: Post = post_pinned):
        self._secret, self._timeout, self._allow_private = secret, timeout, allow_private
        self._resolve, self._post = resolver, post

    def send(self, doc: Mapping[str, Any], url: str) -> SendResult:
        if not self._secret:  # an unsigned webhook could be forged by anyone; never send one
            return SendResult(False, "webhooks are not configured (WEBHOOK_SECRET is empty)", permanent=True)
        refusal = url_refusal(url, self._allow_private)
        if refusal:
            return SendResult(False, f"webhook_url {refusal}", permanent=True)
        target = self._target(url)
        if isinstance(target, SendResult):
            return target
        body = body_of(doc)
        headers = {"Content-Type": "application/json", "User-Agent": "Tandem-Notifications/1",
                   "X-Tandem-Delivery": doc["_id"], "X-Tandem-Kind": doc["kind"],
                   "X-Tandem-Signature": signature(self._secret, body)}
        try:
            with tracing.span("webhook post", parent=doc.get("traceparent"), kind="client",
                              attributes={"tandem.notification.kind": doc["kind"],
                                          "tandem.notification.id": doc["_id"]}):
                status = self._post(url, target, body, headers, self._timeout)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return SendResult(False, f"webhook unreachable: {type(exc).__name__}")
        return _result(status)

    def _target(self, url: str) -> Address | SendResult:
        """The address to connect to, once every address the host resolves to has been checked."""
        parts = urlsplit(url)
        try:
            addresses = self._resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, ValueError, UnicodeError):
            return SendResult(False, f"webhook host {parts.hostname!r} could not be resolved")
        refusals = [r for r in (address_refusal(a, self._allow_private) for a in addresses) if r]
        if refusals or not addresses:
            return SendResult(False, f"webhook_url {refusals[0] if refusals else 'resolves to nothing'}",
                              permanent=True)
        return addresses[0]

    def close(self) -> None:
        return None


def _result(status: Any) -> SendResult:
    if not isinstance(status, int):
        return SendResult(False, f"webhook answered nonsense: {status!r}"[:200], permanent=True)
    if 200 <= status < 300:
        return SendResult(True, f"HTTP {status}")
    if 300 <= status < 400:
        return SendResult(False, f"HTTP {status} (redirects are not followed)", permanent=True)
    permanent = 400 <= status < 500 and status not in RETRYABLE_STATUS
    return SendResult(False, f"HTTP {status}", permanent=permanent)
