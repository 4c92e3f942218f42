"""Mentorships: read one (as the caller may), list them, accept, decline or end one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.matching.domain import access, lifecycle
from services.matching.domain.backfill import transition_history
from services.matching.use_cases import backfills, events
from services.matching.use_cases.ports import Page, UnitOfWork
from services.matching.use_cases.session_changes import cancel_scheduled
from shared.auth import Principal
from shared.backfill import Backfill, Stamp
from shared.errors import Conflict, NotFound

# A conditional write on the version loses only to another transition, and a mentorship has at most
# two (proposed -> active -> ended): the third attempt finds a closed pair and answers 409.
ATTEMPTS = 3


def get_mentorship(uow: UnitOfWork, mentorship_id: str) -> dict[str, Any]:
    found = uow.mentorships.get(mentorship_id)
    if found is None:
        raise NotFound(f"no mentorship {mentorship_id}")
    return found


def readable_mentorship(uow: UnitOfWork, principal: Principal, mentorship_id: str) -> dict[str, Any]:
    """The mentorship, if the caller may read it (admins, the pair, managers of either member)."""
    mentorship = get_mentorship(uow, mentorship_id)
    access.check_read_mentorship(principal, mentorship, _chains(uow, principal, mentorship))
    return mentorship


def _chains(uow: UnitOfWork, principal: Principal, mentorship: Mapping[str, Any]) -> dict[str, tuple]:
    if not principal.has("manager") or access.may_read_mentorship(principal, mentorship):
        return {}  # only managers outside the pair need the (costlier) chain look-up
    found = uow.people.get_many([mentorship["mentor_id"], mentorship["mentee_id"]])
    return uow.people.chains({k: v for k, v in found.items() if not v.get("erased")})


def list_mentorships(uow: UnitOfWork, principal: Principal, query: Mapping[str, Any]) -> Page:
    """Admins list any mentorships; others their own (managers also their reports')."""
    employee_id = query.get("employee_id")
    if not access.reads_all(principal):
        employee_id = employee_id or principal.employee_id
        reports = (uow.people.reports_of(principal.employee_id)
                   if principal.has("manager") and principal.employee_id else set())
        access.check_list_for(principal, employee_id, reports)
    where = {"program_id": query.get("program_id"), "status": query.get("status"), "limit": query["limit"],
             "cursor": query["cursor"]}
    if employee_id:
        return uow.mentorships.page_of_person(employee_id, **where)
    return uow.mentorships.page(**where)


def act_on(uow: UnitOfWork, principal: Principal, mentorship_id: str, action: str, reason: str | None = None,
           backfill: Backfill | None = None) -> dict[str, Any]:
    """accept / decline (the mentor or an admin) / end (either member or an admin)."""
    mentorship = get_mentorship(uow, mentorship_id)
    access.check_act(principal, mentorship, action)

    def work(tx: UnitOfWork) -> dict[str, Any]:
        updated = transition(tx, mentorship, action, reason, backfills.stamp(backfill))
        backfills.recorded(tx, backfill, backfills.MENTORSHIP_ACTIONS[action], mentorship_id,
                           updated["program_id"], [updated["mentor_id"], updated["mentee_id"]])
        return updated

    return backfills.recording(uow, backfill, work)


def transition(uow: UnitOfWork, mentorship: Mapping[str, Any], action: str, reason: str | None = None,
               stamp: Stamp | None = None) -> dict[str, Any]:
    """accept / decline / end, a conditional write on the version; scheduled sessions of a closed pair go.
    `stamp` is when it happened (None: now), checked against or moved up to the pair's history."""
    current = dict(mentorship)
    for _ in range(ATTEMPTS):
        lifecycle.check_transition(current, action)  # a pair that may not move so is a 409 before any 422
        when = (stamp or backfills.live()).applied_to(transition_history(current, action))
        changes = lifecycle.transition(current, action, when.at, reason)
        updated = {**current, **changes}
        if uow.mentorships.update(current, changes, [events.mentorship(action, updated, backfilled=when.backfilled)]):
            if updated["status"] not in lifecycle.OPEN_STATUSES:
                cancel_scheduled(uow, updated["mentorship_id"], when.derived())
            return updated
        current = get_mentorship(uow, current["mentorship_id"])
    raise Conflict("the mentorship is being changed concurrently; retry")
