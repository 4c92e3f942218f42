"""Marshmallow bases every service's HTTP schemas share: strict bodies, the page query and the page."""

from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

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


# -- text that reaches headers, logs, CSV cells and other systems: no control characters -----------------
# C0 controls, DEL, C1 controls and the Unicode line/paragraph separators. Multi-line text keeps \n and \t.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE_TAB = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
EMPLOYEE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
EMAIL_PATTERN = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f.]+")


def single_line(value: str) -> None:
    """Validator: one line of text, as a name, title or subject must be (fullmatch semantics)."""
    if _CONTROL.search(value):
        raise ValidationError("must be one line without control characters")


def multi_line(value: str) -> None:
    """Validator: free text may break lines and use tabs, but carries no other control characters."""
    if _CONTROL_BUT_NEWLINE_TAB.search(value):
        raise ValidationError("must not contain control characters other than line breaks and tabs")


def fullmatch(pattern: re.Pattern[str], error: str):
    """A validator that matches the whole value (a `$` anchor would let a trailing newline through)."""

    def check(value: str) -> None:
        if not isinstance(value, str) or pattern.fullmatch(value) is None:
            raise ValidationError(error)

    return check


def SingleLine(max_len: int, *, min_len: int = 0, **kw) -> fields.String:  # noqa: N802 - reads like a field type
    return fields.String(validate=[validate.Length(min=min_len, max=max_len), single_line], **kw)


def MultiLine(max_len: int, **kw) -> fields.String:  # noqa: N802 - reads like a field type
    return fields.String(validate=[validate.Length(max=max_len), multi_line], **kw)


EMPLOYEE_ID_ERROR = "1–64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit"
valid_employee_id = fullmatch(EMPLOYEE_ID_PATTERN, EMPLOYEE_ID_ERROR)


def EmployeeId(**kw) -> fields.String:  # noqa: N802 - reads like a field type
    return fields.String(validate=valid_employee_id, **kw)


def Email(**kw) -> fields.String:  # noqa: N802 - reads like a field type
    return fields.String(validate=[validate.Length(max=254), fullmatch(EMAIL_PATTERN, "not an email address")],
                         **kw)
