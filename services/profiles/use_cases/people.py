"""People: read, create or replace, self-service edit and list profiles, and who may do which."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, NamedTuple

from services.profiles.domain import access, history, profiles
from services.profiles.use_cases import backfills
from services.profiles.use_cases.ports import Page, ProfileFilter, ProfilesUnit
from shared.auth import Principal
from shared.backfill import Backfill, recording, stamp
from shared.errors import Conflict, NotFound, PreconditionFailed
from shared.events import Event, EventType
from shared.events import catalog as ev
from shared.org_chart import walk_chain

WRITE_ATTEMPTS = 3  # a PUT without If-Match retries a write another writer got to first

Versions = frozenset[int] | None  # what an If-Match names (an unknown tag: none); None: no precondition


class Saved(NamedTuple):
    profile: dict[str, Any]
    outcome: str  # "created" | "updated" | "unchanged"


def get_profile(uow: ProfilesUnit, employee_id: str) -> dict[str, Any]:
    """A living profile, or NotFound (never stored, or erased)."""
    person = uow.people.get(employee_id)
    if not profiles.is_live(person):
        raise NotFound(f"no profile for employee {employee_id}")
    return person


def read_profile(uow: ProfilesUnit, principal: Principal, employee_id: str) -> dict[str, Any]:
    """A profile as `principal` may read it: HR and admins, the person, and managers up the chain."""
    profile = get_profile(uow, employee_id)
    access.check_read(principal, employee_id, lambda: management_chain(uow, employee_id, profile.get("manager_id")))
    return profile


def put_profile(uow: ProfilesUnit, employee_id: str, body: Mapping[str, Any], if_match: Versions = None,
                backfill: Backfill | None = None) -> Saved:
    """Create or replace a profile as HR holds it; an unchanged re-send writes nothing. With `backfill` the
    change happened at its `occurred_at` (not before the person's last change), audited in the same transaction."""
    incoming = profiles.with_defaults({**body, "employee_id": employee_id})
    return recording(uow, backfill, lambda tx: _write_until_saved(tx, employee_id, lambda stored: incoming, if_match,
                                                                  must_exist=False, backfill=backfill))


def patch_profile(uow: ProfilesUnit, principal: Principal, employee_id: str, changes: Mapping[str, Any],
                  if_match: Versions = None) -> dict[str, Any]:
    """Change the self-service fields of a living profile (the person themselves, or HR)."""
    access.check_self_or_hr(principal, employee_id)

    def merged(stored: dict[str, Any]) -> dict[str, Any]:
        return profiles.with_defaults({**profiles.public_fields(stored), **changes})

    return _write_until_saved(uow, employee_id, merged, if_match, must_exist=True).profile


def list_profiles(uow: ProfilesUnit, principal: Principal, which: ProfileFilter, *, limit: int,
                  cursor: str | None) -> Page:
    """Living profiles; a manager sees their reports (direct and indirect) only."""
    access.check_list(principal)
    if not access.reads_everyone(principal):
        which = replace(which, among=frozenset(uow.people.reports_of(principal.employee_id)))
    return uow.people.page(which, limit=limit, cursor=cursor)


def management_chain(uow: ProfilesUnit, employee_id: str, manager_id: str | None) -> list[str]:
    """Manager, their manager, ... of a person whose manager is `manager_id` (stops at cycles)."""
    if manager_id is None:
        return []  # known to report to no one: nothing to walk
    return list(walk_chain(employee_id, uow.people.manager_of, manager_id))


def profile_event(event_type: EventType, profile: Mapping[str, Any], backfilled: bool = False) -> Event:
    return backfills.announce(event_type, profiles.event_data(profile), backfilled)


def _write_until_saved(uow: ProfilesUnit, employee_id: str, revise: Callable[[dict], dict],
                       if_match: Versions, *, must_exist: bool, backfill: Backfill | None = None) -> Saved:
    for _ in range(WRITE_ATTEMPTS):
        stored = get_profile(uow, employee_id) if must_exist else uow.people.get(employee_id)
        _check_precondition(stored if profiles.is_live(stored) else None, if_match)
        saved = write_revision(uow, employee_id, stored, revise(stored), backfill)
        if saved is not None:
            return saved
        if if_match is not None:
            raise PreconditionFailed("the profile changed meanwhile; fetch it again")
    raise Conflict("the profile is being changed concurrently; retry")


def write_revision(uow: ProfilesUnit, employee_id: str, stored: dict | None, incoming: dict,
                   backfill: Backfill | None = None) -> Saved | None:
    """One optimistic write of `incoming` over `stored` (now, or at the backfill's moment); None when another
    writer got there first. A backfilled change before what is stored of the person is a 422."""
    when = stamp(backfill)
    revision = profiles.revision(stored, incoming, when.at)
    if revision is None:
        return Saved(stored, "unchanged")
    when.applied_to(history.of_person(stored))
    profile, event_type = revision
    events = [profile_event(event_type, profile, when.backfilled)]
    if event_type is ev.PROFILE_UPDATED:
        written = uow.people.update(employee_id, stored["version"], profile, events)
    elif profile["version"] == 1:
        written = uow.people.insert(profile, events)
    else:  # a rehire: over the erasure's tombstone, which keeps the version
        written = uow.people.update(employee_id, profile["version"] - 1, profile, events, unset=("erased", "erased_at"))
    if not written:
        return None
    backfills.recorded(uow, backfill, event_type, employee_id, employee_id)
    return Saved(profile, "updated" if event_type is ev.PROFILE_UPDATED else "created")


def _check_precondition(stored: Mapping[str, Any] | None, if_match: Versions) -> None:
    if if_match is None:
        return
    if stored is None or stored["version"] not in if_match:
        raise PreconditionFailed("If-Match does not match the current version of the profile")
