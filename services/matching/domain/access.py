"""Who may do what in matching: the role table of DESIGN.md §4 for this service. Pure.

program_admin manages programs, enrollments, runs and any mentorship or session; hr_admin reads
matching data; an employee acts on the mentorships they are part of; a manager may read the
mentorship status of their reports. Private notes and comments are for the pair only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from services.matching.domain.lifecycle import member_role
from shared.auth import Principal
from shared.errors import Forbidden, Invalid

ADMIN = "program_admin"
READERS = ("program_admin", "hr_admin")


def reads_all(principal: Principal) -> bool:
    """Program and HR admins read every program's matching data."""
    return principal.has(*READERS)


def check_reads_all(principal: Principal) -> None:
    if not reads_all(principal):
        raise Forbidden("requires one of the roles: program_admin, hr_admin")


def check_admin_or_self(principal: Principal, employee_id: str, what: str) -> None:
    if not (principal.has(ADMIN) or principal.is_self(employee_id)):
        raise Forbidden(f"only a program admin or the person themselves may {what}")


def may_read_mentorship(principal: Principal, mentorship: Mapping[str, Any],
                        chains: Mapping[str, Collection[str]] | None = None) -> bool:
    """Admins, the pair, and the manager (direct or indirect) of either member."""
    if reads_all(principal) or member_role(mentorship, principal.employee_id):
        return True
    if not principal.has("manager") or principal.employee_id is None:
        return False
    return any(principal.employee_id in chain for chain in (chains or {}).values())


def check_read_mentorship(principal: Principal, mentorship: Mapping[str, Any],
                          chains: Mapping[str, Collection[str]] | None = None) -> None:
    if not may_read_mentorship(principal, mentorship, chains):
        raise Forbidden("you are not part of this mentorship")


def check_act(principal: Principal, mentorship: Mapping[str, Any], action: str) -> None:
    """accept/decline: the mentor or an admin; end, sessions: either member or an admin."""
    role = member_role(mentorship, principal.employee_id)
    if principal.has(ADMIN):
        return
    if action in ("accept", "decline") and role != "mentor":
        raise Forbidden(f"only the mentor or a program admin may {action} this mentorship")
    if role is None:
        raise Forbidden("you are not part of this mentorship")


def check_propose(principal: Principal, mentee_id: str) -> None:
    """An admin matches anyone; a mentee may pick their own mentor."""
    if not (principal.has(ADMIN) or principal.is_self(mentee_id)):
        raise Forbidden("only a program admin or the mentee themselves may propose this mentorship")


def check_feedback_author(principal: Principal, mentorship: Mapping[str, Any]) -> str:
    """The author of feedback is the caller and must be in the pair; returns their role in it."""
    role = member_role(mentorship, principal.employee_id)
    if role is None:
        raise Forbidden("only the mentor or the mentee of this mentorship may give feedback")
    return role


def check_backfill(principal: Principal) -> None:
    """History with a past `occurred_at` (a migration) is recorded by program admins only."""
    if not principal.has(ADMIN):
        raise Forbidden("only a program admin may backfill history (occurred_at, author_id)")


def backfilled_author(mentorship: Mapping[str, Any], author_id: str | None, comment: str | None) -> str:
    """An admin backfilling feedback names its author in the pair (their role is returned); the comment,
    like a session's notes, is the pair's own to write."""
    if comment:
        raise Forbidden("feedback comments are private to the pair; backfill the rating without a comment")
    role = member_role(mentorship, author_id)
    if role is None:
        raise Invalid("author_id must name the mentor or the mentee of this mentorship",
                      {"author_id": ["must be the mentor's or the mentee's employee id"]})
    return role


def sees_private(principal: Principal, mentorship: Mapping[str, Any]) -> bool:
    """Session notes and feedback comments are for the pair; admins see neither."""
    return member_role(mentorship, principal.employee_id) is not None


def check_list_for(principal: Principal, employee_id: str | None, reports: Collection[str] = ()) -> None:
    """Listing mentorships: admins list any; others list their own (or a report's, for managers)."""
    if reads_all(principal):
        return
    if employee_id is None:
        raise Forbidden("give employee_id: you may list only the mentorships you are part of")
    if principal.is_self(employee_id) or (principal.has("manager") and employee_id in reports):
        return
    raise Forbidden("you may list only your own mentorships (or your reports', as their manager)")
