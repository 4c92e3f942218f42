"""Matching's directory of people, kept current from the profiles and goals streams.

Idempotent: versions guard every write, and a stale or replayed version changes nothing. A profile
write and the departure it causes commit in one transaction (the consumer's), so a departure is
never left half done for a replay to finish.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.matching.domain import backfill, people
from services.matching.use_cases.departures import ERASED, LEFT_COMPANY, leave_company
from services.matching.use_cases.ports import UnitOfWork
from shared.timeutil import now_rfc3339


def profile_changed(uow: UnitOfWork, data: Mapping[str, Any]) -> None:
    """A newer profile replaces the stored one; someone terminated leaves every program, when the profile
    says they left if HR backfilled it (a leaver six months ago is no departure today)."""
    if uow.people.apply_profile(data) and people.is_gone(data):
        leave_company(uow, data["employee_id"], LEFT_COMPANY, backfill.from_profile(data, now_rfc3339()))


def profile_erased(uow: UnitOfWork, employee_id: str, version: int) -> None:
    """Erasure: personal data goes, enrollments are withdrawn and open mentorships end."""
    if uow.people.apply_erasure(employee_id, version):
        leave_company(uow, employee_id, ERASED)


def goal_changed(uow: UnitOfWork, data: Mapping[str, Any], progressed: bool) -> None:
    """Goal target skills feed scoring; progress times feed the stalled-goals signal."""
    person = uow.people.get(data["employee_id"])
    if person is not None and person.get("erased"):
        return  # an erased person's goals are not kept, even when their events are replayed
    uow.people.apply_goal(data, progressed)
