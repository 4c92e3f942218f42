"""HTTP route of the backfill audit trail: which history HR recorded after the fact, by whom and when."""

from __future__ import annotations

from services.profiles.entrypoints.api import blp, unit_of_work
from services.profiles.entrypoints.schemas import BackfillPage, PageQuery
from services.profiles.use_cases.backfills import list_backfills
from shared.auth import require


@blp.route("/backfills", methods=["GET"])
@require("hr_admin", "program_admin")
@blp.arguments(PageQuery(), location="query")
@blp.response(200, BackfillPage)
def backfills(query: dict):
    """Every profile and goal write HR backfilled with a past occurred_at, in the order they were recorded."""
    return list_backfills(unit_of_work(), limit=query["limit"], cursor=query["cursor"])
