"""HTTP route of the backfill audit trail: which history admins recorded after the fact, and when."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.matching.domain import access
from services.matching.entrypoints.api_common import unit_of_work
from services.matching.entrypoints.schemas_backfill import BackfillPage
from services.matching.use_cases.backfills import list_backfills
from shared.auth import require
from shared.schemas import PageQuery

blp = Blueprint("backfills", __name__, url_prefix="/v1", description="The audit trail of backfilled history")


@blp.route("/backfills", methods=["GET"])
@require(*access.READERS)
@blp.arguments(PageQuery, location="query")
@blp.response(200, BackfillPage)
def backfills(query: dict):
    """Every write a program admin backfilled with a past occurred_at, in the order they were recorded."""
    return list_backfills(unit_of_work(), limit=query["limit"], cursor=query["cursor"])
