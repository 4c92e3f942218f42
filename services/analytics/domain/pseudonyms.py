"""Stable pseudonyms for people: the same employee id always maps to the same opaque id under one key."""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "p-"


def new_key() -> str:
    return secrets.token_hex(32)


class Pseudonyms:
    """HMAC-SHA256 of the employee id; without the key the pseudonym cannot be linked back."""

    def __init__(self, key: str):
        self._key = bytes.fromhex(key)

    def __call__(self, employee_id: str) -> str:
        digest = hmac.new(self._key, employee_id.encode(), hashlib.sha256).hexdigest()
        return PREFIX + digest[:24]
