"""HTTP bodies of backfilled history: the body of a call that takes only `occurred_at`, and the audit trail
an admin reads (marshmallow, at the edge). The `occurred_at` field itself is shared.schemas'."""

from __future__ import annotations

from marshmallow import fields

from shared.schemas import BackfillOut as AuditEntry
from shared.schemas import OccurredAt, Strict, page_of


class BackfillIn(Strict):
    """The body of a call that may backfill history and otherwise takes none (accept, decline, cancel, a run)."""

    occurred_at = OccurredAt()


class BackfillOut(AuditEntry):
    program_id = fields.String()


BackfillPage = page_of(BackfillOut)
