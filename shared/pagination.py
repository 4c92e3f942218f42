"""Cursor pagination over one sort key: `?limit=&cursor=` -> `{"items", "next_cursor"}`."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.collection import Collection

from shared.errors import Invalid

DEFAULT_LIMIT, MAX_LIMIT = 50, 500


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as exc:
        raise Invalid("cursor is not valid", {"cursor": ["not a cursor this API returned"]}) from exc


def page(collection: Collection, query: Mapping[str, Any], *, limit: int, cursor: str | None,
         render: Callable[[dict], dict], sort_field: str = "_id",
         session: ClientSession | None = None) -> dict[str, Any]:
    """One page of `query` ordered by `sort_field` (unique), continuing after `cursor`, read in `session`
    (a unit of work's) when given."""
    filt = dict(query)
    if cursor:
        filt = {"$and": [filt, {sort_field: {"$gt": decode_cursor(cursor)}}]}
    docs = list(collection.find(filt, session=session).sort(sort_field, 1).limit(limit + 1))
    more = len(docs) > limit
    docs = docs[:limit]
    next_cursor = encode_cursor(docs[-1][sort_field]) if more and docs else None
    return {"items": [render(d) for d in docs], "next_cursor": next_cursor}
