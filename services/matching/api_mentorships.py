"""HTTP routes for mentorships: propose, accept, decline, end, read and list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_smorest import Blueprint

from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.api_common import repos
from services.matching.domain import access
from services.matching.mentorships import MentorshipService
from services.matching.programs import ProgramService
from services.matching.schemas_pairs import EndIn, MentorshipIn, MentorshipOut, MentorshipPage, MentorshipQuery
from shared.auth import Principal, current_principal, require

blp = Blueprint("mentorships", __name__, url_prefix="/v1", description="Mentor-mentee pairs and their lifecycle")


def readable_mentorship(store: MatchingUnitOfWork, mentorship_id: str, principal: Principal) -> dict[str, Any]:
    """The mentorship, if the caller may read it (admins, the pair, managers of either member)."""
    mentorship = MentorshipService(store).get(mentorship_id)
    access.check_read_mentorship(principal, mentorship, _chains(store, principal, mentorship))
    return mentorship


def _chains(store: MatchingUnitOfWork, principal: Principal, mentorship: Mapping[str, Any]) -> dict[str, tuple]:
    if not principal.has("manager") or access.may_read_mentorship(principal, mentorship):
        return {}  # only managers outside the pair need the (costlier) chain look-up
    found = store.people.get_many([mentorship["mentor_id"], mentorship["mentee_id"]])
    return store.people.chains({k: v for k, v in found.items() if not v.get("erased")})


@blp.route("/mentorships", methods=["POST"])
@require()
@blp.arguments(MentorshipIn)
@blp.response(201, MentorshipOut)
def propose(body: dict):
    """Propose a pair by hand (a program admin, or the mentee choosing their mentor)."""
    principal = current_principal()
    access.check_propose(principal, body["mentee_id"])
    store = repos()
    program = ProgramService(store).get(body["program_id"])
    return MentorshipService(store).propose(program, body["mentor_id"], body["mentee_id"], principal.actor_id)


@blp.route("/mentorships", methods=["GET"])
@require()
@blp.arguments(MentorshipQuery, location="query")
@blp.response(200, MentorshipPage)
def list_mentorships(query: dict):
    """Admins list any mentorships; others their own (managers also their reports')."""
    principal, store = current_principal(), repos()
    if not access.reads_all(principal):
        query["employee_id"] = query.get("employee_id") or principal.employee_id
        reports = (store.people.reports_of(principal.employee_id)
                   if principal.has("manager") and principal.employee_id else set())
        access.check_list_for(principal, query["employee_id"], reports)
    return MentorshipService(store).page(query, limit=query["limit"], cursor=query["cursor"])


@blp.route("/mentorships/<mentorship_id>", methods=["GET"])
@require()
@blp.response(200, MentorshipOut)
def get_mentorship(mentorship_id: str):
    return readable_mentorship(repos(), mentorship_id, current_principal())


def _act(mentorship_id: str, action: str, reason: str | None = None) -> dict[str, Any]:
    principal, store = current_principal(), repos()
    service = MentorshipService(store)
    mentorship = service.get(mentorship_id)
    access.check_act(principal, mentorship, action)
    return service.transition(mentorship, action, reason)


@blp.route("/mentorships/<mentorship_id>/accept", methods=["POST"])
@require()
@blp.response(200, MentorshipOut)
def accept(mentorship_id: str):
    """The mentor (or a program admin) accepts: the mentorship becomes active."""
    return _act(mentorship_id, "accept")


@blp.route("/mentorships/<mentorship_id>/decline", methods=["POST"])
@require()
@blp.response(200, MentorshipOut)
def decline(mentorship_id: str):
    """The mentor (or a program admin) declines the proposal."""
    return _act(mentorship_id, "decline", "declined")


@blp.route("/mentorships/<mentorship_id>/end", methods=["POST"])
@require()
@blp.arguments(EndIn)
@blp.response(200, MentorshipOut)
def end(body: dict, mentorship_id: str):
    """Either member (or a program admin) ends the mentorship, with a reason code."""
    return _act(mentorship_id, "end", body["reason"])
