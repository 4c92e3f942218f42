"""Right to erasure: the person's data goes, and every service is told by `mentoring.profile.deleted`."""

from __future__ import annotations

from services.profiles.domain import profiles
from services.profiles.use_cases.people import get_profile
from services.profiles.use_cases.ports import ProfilesUnit
from shared.errors import Conflict
from shared.events import catalog as ev
from shared.events import new_event
from shared.timeutil import now_rfc3339


def erase_person(uow: ProfilesUnit, employee_id: str) -> None:
    """The person becomes a tombstone whose only pending event is the erasure; their goals are deleted."""
    stored = get_profile(uow, employee_id)
    version = stored["version"] + 1
    event = new_event(ev.PROFILE_DELETED, {"employee_id": employee_id, "version": version}, source=profiles.SOURCE)
    if not uow.people.erase(employee_id, stored["version"], profiles.tombstone(employee_id, version, now_rfc3339()),
                            event):
        raise Conflict("the profile changed meanwhile; retry the erasure")
    uow.goals.delete_of(employee_id)
