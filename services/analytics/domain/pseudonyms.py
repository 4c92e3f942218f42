"""Stable pseudonyms for people: the same employee id always maps to the same opaque id under one key.

The key comes from configuration (ANALYTICS_PSEUDONYM_KEY), never from the database it protects:
whoever holds the facts and a list of employee ids cannot re-link them without it. The database keeps
only the key's fingerprint, to notice that facts were made under another key and re-key them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

PREFIX = "p-"
MIN_KEY_BYTES = 32
FINGERPRINT_OF = b"tandem analytics pseudonym key fingerprint"


class InvalidKey(ValueError):
    """The configured key is missing or too weak to keep pseudonyms from being recomputed."""


def new_key() -> str:
    return secrets.token_hex(MIN_KEY_BYTES)


class Pseudonyms:
    """HMAC-SHA256 of the employee id; without the key the pseudonym cannot be linked back."""

    def __init__(self, key: str):
        try:
            self._key = bytes.fromhex(key.strip())
        except ValueError:
            raise InvalidKey("ANALYTICS_PSEUDONYM_KEY must be hexadecimal (e.g. `openssl rand -hex 32`)") from None
        if len(self._key) < MIN_KEY_BYTES:
            raise InvalidKey(f"ANALYTICS_PSEUDONYM_KEY must hold at least {MIN_KEY_BYTES} bytes "
                             f"({2 * MIN_KEY_BYTES} hex digits, e.g. `openssl rand -hex 32`)")

    def __call__(self, employee_id: str) -> str:
        digest = hmac.new(self._key, employee_id.encode(), hashlib.sha256).hexdigest()
        return PREFIX + digest[:24]

    @property
    def fingerprint(self) -> str:
        """Identifies the key without revealing it, or anything computed with it."""
        return hmac.new(self._key, FINGERPRINT_OF, hashlib.sha256).hexdigest()[:32]


def rekeyed(doc: Mapping[str, Any], fields: Iterable[str], renamed: Mapping[str, str]) -> dict[str, Any]:
    """A fact with the pseudonyms in `fields` (and in its `_id`) replaced by their new ones."""
    found = dict(doc)
    for name in fields:
        if found.get(name) in renamed:
            old = found[name]
            found[name] = renamed[old]
            found["_id"] = found["_id"].replace(old, renamed[old])
    return found
