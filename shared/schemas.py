"""Marshmallow bases every service's HTTP schemas share: strict bodies, the page query and the page."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from shared.pagination import DEFAULT_LIMIT, MAX_LIMIT


class Strict(Schema):
    """Unknown fields are rejected (422), as DESIGN.md §4 asks of every API."""

    class Meta:
        unknown = RAISE
        ordered = True


class PageQuery(Strict):
    """`?limit=` (default 50, max 500) and `?cursor=` of every list endpoint."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    cursor = fields.String(load_default=None)


def page_of(item: type[Schema]) -> type[Schema]:
    """The answer of a list endpoint, `{"items": [...], "next_cursor": ...}`, named `<Item>Page` (the
    item schema's name without its `Out` suffix) in the OpenAPI document."""
    fields_of_page = {"items": fields.List(fields.Nested(item)), "next_cursor": fields.String(allow_none=True)}
    return type(item.__name__.removesuffix("Out") + "Page", (Schema,), fields_of_page)
