"""A profile's version as an HTTP entity-tag, and the versions an If-Match header names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def etag_of(profile: Mapping[str, Any]) -> dict[str, str]:
    """The ETag header of a profile: its version, as a strong entity-tag."""
    return {"ETag": f'"{profile["version"]}"'}


def versions_in(if_match: str | None) -> frozenset[int] | None:
    """The versions an If-Match header names; None when it sets no precondition (absent, or `*`).

    An entity-tag this API never issued (`"stale-version"`) names no version, so it matches none and
    the write is refused with 412 (RFC 9110 §13.1.1), not a 400. Weak tags are read like strong ones.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    tags = (tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(","))
    return frozenset(int(tag) for tag in tags if tag.isascii() and tag.isdigit())
