"""HTTP routes of development goals: they parse, authorise and call a use case."""

from __future__ import annotations

from services.profiles.entrypoints.api import backfill_of, blp, unit_of_work
from services.profiles.entrypoints.schemas import GoalIn, GoalOut, GoalPage, GoalPatch, PageQuery
from services.profiles.use_cases import goals
from shared.auth import current_principal, require


@blp.route("/profiles/<employee_id>/goals", methods=["POST"])
@require()
@blp.arguments(GoalIn())
@blp.response(201, GoalOut)
def create_goal(body: dict, employee_id: str):
    """Set a goal (the person, or HR); HR may backfill one set at `occurred_at`."""
    principal = current_principal()
    return goals.set_goal(unit_of_work(), principal, employee_id, body, backfill_of(principal, body))


@blp.route("/profiles/<employee_id>/goals", methods=["GET"])
@require()
@blp.arguments(PageQuery(), location="query")
@blp.response(200, GoalPage)
def list_goals(query: dict, employee_id: str):
    return goals.goals_of(unit_of_work(), current_principal(), employee_id, limit=query["limit"],
                          cursor=query["cursor"])


@blp.route("/goals/<goal_id>", methods=["PATCH"])
@require()
@blp.arguments(GoalPatch())
@blp.response(200, GoalOut)
def patch_goal(body: dict, goal_id: str):
    """Move a goal's progress or status (its owner, or HR); HR may backfill a move made at `occurred_at`."""
    principal = current_principal()
    return goals.progress_goal(unit_of_work(), principal, goal_id, body.get("progress"), body.get("status"),
                               backfill_of(principal, body))
