"""HTTP bodies of backfilled history: the `occurred_at` field the history-writing calls accept, and the
audit trail an admin reads (marshmallow, at the edge)."""

from __future__ import annotations

import re

from marshmallow import Schema, fields, validate

from services.matching.domain.backfill import EARLIEST
from shared.schemas import Strict, page_of

# RFC 3339 section 5.6: full date, 'T', full time, and an offset (Z or ±hh:mm) that may not be left out
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})")
OCCURRED_AT_DOC = ("When this history happened, for backfilling a migration: RFC 3339 with an offset. "
                   "program_admin only (403 from anyone else). At most 5 minutes in the future, not before "
                   "2000-01-01T00:00:00Z, and never before the aggregate's previous moment (422). Absent or "
                   "null: now. The stored times and the event's data take this moment, the event says "
                   "`backfilled: true`, and the write is audited (GET /v1/backfills).")


class OccurredAt(fields.AwareDateTime):
    """An instant the whole of RFC 3339 describes: no bare dates, no missing offset, no other ISO 8601 forms."""

    def __init__(self, **kw) -> None:
        kw.setdefault("error_messages", {"invalid": "must be an RFC 3339 date-time with an offset, "
                                                    "such as 2025-03-04T14:30:00Z"})
        super().__init__(load_default=None, allow_none=True,
                         validate=validate.Range(min=EARLIEST, error="must not be before 2000-01-01T00:00:00Z"),
                         metadata={"description": OCCURRED_AT_DOC, "pattern": RFC3339.pattern,
                                   "example": "2025-03-04T14:30:00Z"}, **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or RFC3339.fullmatch(value) is None:
            raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        return super()._deserialize(value, attr, data, **kwargs)


class BackfillIn(Strict):
    """The body of a call that may backfill history and otherwise takes none (accept, decline, cancel, a run)."""

    occurred_at = OccurredAt()


class BackfillOut(Schema):
    audit_id = fields.String()
    operation = fields.String(metadata={"description": "what was backfilled, e.g. session.completed"})
    aggregate_id = fields.String(metadata={"description": "the program (enrollments), mentorship, session, "
                                                          "feedback or matching run written"})
    program_id = fields.String()
    employee_ids = fields.List(fields.String(), metadata={"description": "the people it concerns; an erased "
                                                                         "person's id is a pseudonym"})
    occurred_at = fields.String()
    recorded_at = fields.String()
    by = fields.String(metadata={"description": "the sub of the token that recorded it"})


BackfillPage = page_of(BackfillOut)
