"""Marshmallow bases every service's HTTP schemas share: strict bodies, the page query and the page, text
fields, and the `occurred_at` of backfilled history with its audit entry."""

from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.backfill import EARLIEST
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


# -- backfilled history (shared.backfill): the `occurred_at` of a migration's writes, and its audit trail ----
# RFC 3339 section 5.6: full date, 'T', full time, and an offset (Z or ±hh:mm) that may not be left out
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")
OCCURRED_AT_DOC = ("When this history happened, for backfilling a migration: RFC 3339 with an offset. "
                   "program_admin only in matching, hr_admin only in profiles (403 from anyone else). At most 5 "
                   "minutes in the future, not before 2000-01-01T00:00:00Z, and never before the aggregate's "
                   "previous moment (422). Absent or null: now. The stored times and the event's data take this "
                   "moment, the event says `backfilled: true`, and the write is audited (GET /v1/backfills).")


class OccurredAt(fields.AwareDateTime):
    """An instant the whole of RFC 3339 describes: no bare dates, no missing offset, no other ISO 8601 forms."""

    def __init__(self, **kw) -> None:
        kw.setdefault("error_messages", {"invalid": "must be an RFC 3339 date-time with an offset, "
                                                    "such as 2025-03-04T14:30:00Z"})
        kw.setdefault("load_default", None)
        super().__init__(allow_none=True,
                         validate=validate.Range(min=EARLIEST, error="must not be before 2000-01-01T00:00:00Z"),
                         metadata={"description": OCCURRED_AT_DOC, "pattern": RFC3339.pattern,
                                   "example": "2025-03-04T14:30:00Z"}, **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or RFC3339.fullmatch(value) is None:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return super()._deserialize(value, attr, data, **kwargs)


class BackfillOut(Schema):
    """One entry of a service's backfill audit trail (GET /v1/backfills)."""

    audit_id = fields.String()
    operation = fields.String(metadata={"description": "what was backfilled, e.g. profile.updated"})
    aggregate_id = fields.String(metadata={"description": "what was written: its id in the service"})
    employee_ids = fields.List(fields.String(), metadata={"description": "the people it concerns; an erased "
                                                                         "person's id is a pseudonym"})
    occurred_at = fields.String()
    recorded_at = fields.String()
    by = fields.String(metadata={"description": "the sub of the token that recorded it"})
