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


def after(query: Mapping[str, Any], field: str, op: str, cursor: str | None) -> dict[str, Any]:
    """`query` restricted to what comes after `cursor` on `field`, in the query's own document: wrapped
    in `$and` it would no longer be an index prefix, and the store would scan for every page."""
    filt = dict(query)
    if not cursor:
        return filt
    value = decode_cursor(cursor)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise Invalid("cursor is not valid", {"cursor": ["not a cursor this API returned"]})
    current = filt.get(field)
    if current is None:
        filt[field] = {op: value}
    elif isinstance(current, Mapping) and all(k.startswith("$") for k in current) and op not in current:
        filt[field] = {**current, op: value}
    else:
        filt = {"$and": [filt, {field: {op: value}}]}
    return filt


def page(collection: Collection, query: Mapping[str, Any], *, limit: int, cursor: str | None,
         render: Callable[[dict], dict], sort_field: str = "_id",
         session: ClientSession | None = None) -> dict[str, Any]:
    """One page of `query` ordered by `sort_field` (unique), continuing after `cursor` (in `session`, if given)."""
    filt = after(query, sort_field, "$gt", cursor)
    docs = list(collection.find(filt, session=session).sort(sort_field, 1).limit(limit + 1))
    more = len(docs) > limit
    docs = docs[:limit]
    next_cursor = encode_cursor(docs[-1][sort_field]) if more and docs else None
    return {"items": [render(d) for d in docs], "next_cursor": next_cursor}
