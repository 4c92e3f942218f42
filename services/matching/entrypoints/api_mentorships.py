"""HTTP routes for mentorships: propose, accept, decline, end, read and list."""

from __future__ import annotations

from flask_smorest import Blueprint

from services.matching.domain import access
from services.matching.entrypoints.api_common import backfill_of, check_path_ids, unit_of_work
from services.matching.entrypoints.schemas_backfill import BackfillIn
from services.matching.entrypoints.schemas_pairs import (
    EndIn,
    MentorshipIn,
    MentorshipOut,
    MentorshipPage,
    MentorshipQuery,
)
from services.matching.use_cases import mentorships, proposals
from shared.auth import current_principal, require

blp = Blueprint("mentorships", __name__, url_prefix="/v1", description="Mentor-mentee pairs and their lifecycle")
blp.before_request(check_path_ids)


@blp.route("/mentorships", methods=["POST"])
@require()
@blp.arguments(MentorshipIn)
@blp.response(201, MentorshipOut)
def propose(body: dict):
    """Propose a pair by hand (a program admin, or the mentee choosing their mentor)."""
    principal = current_principal()
    access.check_propose(principal, body["mentee_id"])
    return proposals.propose(unit_of_work(), body["program_id"], body["mentor_id"], body["mentee_id"],
                             principal.actor_id, backfill_of(principal, body))


@blp.route("/mentorships", methods=["GET"])
@require()
@blp.arguments(MentorshipQuery, location="query")
@blp.response(200, MentorshipPage)
def list_mentorships(query: dict):
    """Admins list any mentorships; others their own (managers also their reports')."""
    return mentorships.list_mentorships(unit_of_work(), current_principal(), query)


@blp.route("/mentorships/<mentorship_id>", methods=["GET"])
@require()
@blp.response(200, MentorshipOut)
def get_mentorship(mentorship_id: str):
    return mentorships.readable_mentorship(unit_of_work(), current_principal(), mentorship_id)


@blp.route("/mentorships/<mentorship_id>/accept", methods=["POST"])
@require()
@blp.arguments(BackfillIn, required=False)
@blp.response(200, MentorshipOut)
def accept(body: dict, mentorship_id: str):
    """The mentor (or a program admin) accepts: the mentorship becomes active."""
    return _act(body, mentorship_id, "accept")


@blp.route("/mentorships/<mentorship_id>/decline", methods=["POST"])
@require()
@blp.arguments(BackfillIn, required=False)
@blp.response(200, MentorshipOut)
def decline(body: dict, mentorship_id: str):
    """The mentor (or a program admin) declines the proposal."""
    return _act(body, mentorship_id, "decline", "declined")


@blp.route("/mentorships/<mentorship_id>/end", methods=["POST"])
@require()
@blp.arguments(EndIn)
@blp.response(200, MentorshipOut)
def end(body: dict, mentorship_id: str):
    """Either member (or a program admin) ends the mentorship, with a reason code."""
    return _act(body, mentorship_id, "end", body["reason"])


def _act(body: dict, mentorship_id: str, action: str, reason: str | None = None) -> dict:
    principal = current_principal()
    return mentorships.act_on(unit_of_work(), principal, mentorship_id, action, reason, backfill_of(principal, body))
