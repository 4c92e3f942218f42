"""Right to erasure: the person's data goes, and every service is told by `mentoring.profile.deleted`."""

from __future__ import annotations

from services.profiles.domain import profiles
from services.profiles.use_cases.ports import ProfilesUnit
from shared.backfill import pseudonym
from shared.errors import Conflict, NotFound
from shared.events import catalog as ev
from shared.events import new_event
from shared.timeutil import now_rfc3339


def erase_person(uow: ProfilesUnit, employee_id: str) -> None:
    """The person becomes a tombstone whose only pending event is the erasure; their goals are deleted, and
    their id in the backfill audit trail becomes a pseudonym (the entries' moments and operations stay).

    Erasing someone already erased is a 404, after removing what an erasure cut short left behind.
    """
    stored = uow.people.get(employee_id)
    if not profiles.is_live(stored):
        if stored is not None:
            _forget(uow, employee_id)  # what an erasure cut short between its writes left
        raise NotFound(f"no profile for employee {employee_id}")
    version = stored["version"] + 1
    event = new_event(ev.PROFILE_DELETED, {"employee_id": employee_id, "version": version}, source=profiles.SOURCE)
    if not uow.people.erase(employee_id, stored["version"], profiles.tombstone(employee_id, version, now_rfc3339()),
                            event):
        raise Conflict("the profile changed meanwhile; retry the erasure")
    _forget(uow, employee_id)


def _forget(uow: ProfilesUnit, employee_id: str) -> None:
    uow.goals.delete_of(employee_id)
    uow.backfills.pseudonymise(employee_id, pseudonym())
