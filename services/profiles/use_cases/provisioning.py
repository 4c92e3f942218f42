"""Provisioning over SCIM: an identity provider creates, replaces, patches, erases and looks up people.

Every write is a profile write: `people.put_profile` (versions, the outbox, `mentoring.profile.*`) and
`erasure.erase_person` (the tombstone, the goals, `mentoring.profile.deleted`), exactly as the native API
does them. A User becomes a profile by domain.scim_profiles, and the profile is checked by `validate`,
the native API's own body schema, which the entrypoint passes in.

A person HR created through the native API is no User until a provider creates them: a create whose
id names a living profile without a SCIM identity adopts it (keeping its grade, skills and history), so
an HRIS and an identity provider can both feed Tandem; a provider never sees, nor deletes, anyone else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from services.profiles.domain import profiles, scim_patch, scim_profiles, scim_search
from services.profiles.domain.scim_errors import Uniqueness
from services.profiles.domain.scim_filter import parse_filter
from services.profiles.domain.scim_users import is_provisioned, to_resource
from services.profiles.use_cases import erasure, people
from services.profiles.use_cases.people import Saved, Versions
from services.profiles.use_cases.scim_ports import ProvisioningUnit
from shared.errors import Conflict, NotFound, PreconditionFailed

Validate = Callable[[dict[str, Any]], dict[str, Any]]  # a profile body, loaded; raises a DomainError
Resource = dict[str, Any]
WRITE_ATTEMPTS = 3  # a write without If-Match is redone over a writer that got there first


def find_user(uow: ProvisioningUnit, employee_id: str) -> dict[str, Any]:
    """The provisioned person `employee_id`, or NotFound (never provisioned, created natively, or erased)."""
    person = uow.people.get(employee_id)
    if not is_provisioned(person):
        raise NotFound(f"no User {employee_id}")
    return person


def search_users(uow: ProvisioningUnit, filter_text: str | None, start_index: int | None,
                 count: int | None) -> tuple[int, int, list[dict[str, Any]]]:
    """(totalResults, startIndex, the page's people) for a list request."""
    query = scim_search.plan(parse_filter(filter_text)) if filter_text is not None else None
    start, wanted = scim_search.page_bounds(start_index, count)
    total, found = uow.directory.search(query, start=start, count=wanted)
    return total, start, found


def create_user(uow: ProvisioningUnit, user: Resource, validate: Validate) -> Saved:
    """A new User: a new person, a rehire after an erasure, or a person HR created natively (adopted)."""
    employee_id = scim_profiles.employee_id_for(user)
    stored = uow.people.get(employee_id)
    if is_provisioned(stored):
        raise Uniqueness(f"User {employee_id} exists already (same employeeNumber, externalId or userName)")
    adopted = stored if profiles.is_live(stored) else None
    try:
        return _write(uow, employee_id, user, adopted, validate)
    except PreconditionFailed as exc:  # HR changed the person being adopted meanwhile
        raise Conflict("the person changed while being provisioned; retry") from exc


def replace_user(uow: ProvisioningUnit, employee_id: str, user: Resource, validate: Validate,
                 if_match: Versions = None) -> Saved:
    """PUT: the User as sent, over what is stored (see domain.scim_profiles for what a replace keeps)."""
    return _revise(uow, employee_id, lambda stored: user, validate, if_match)


def patch_user(uow: ProvisioningUnit, employee_id: str, operations: list[scim_patch.Operation],
               validate: Validate, if_match: Versions = None) -> Saved:
    """PATCH: the operations applied to the stored User, written as a replace."""
    return _revise(uow, employee_id, lambda stored: scim_patch.apply(to_resource(stored, ""), operations), validate,
                   if_match)


def delete_user(uow: ProvisioningUnit, employee_id: str, if_match: Versions = None) -> None:
    """DELETE is erasure, as DELETE /v1/profiles/{id} is."""
    _check_version(find_user(uow, employee_id), if_match)
    erasure.erase_person(uow, employee_id)


def _revise(uow: ProvisioningUnit, employee_id: str, revised: Callable[[dict[str, Any]], Resource],
            validate: Validate, if_match: Versions) -> Saved:
    for _ in range(WRITE_ATTEMPTS):
        stored = find_user(uow, employee_id)
        _check_version(stored, if_match)
        try:
            return _write(uow, employee_id, revised(stored), stored, validate)
        except PreconditionFailed:
            if if_match is not None:
                raise
    raise Conflict("the User is being changed concurrently; retry")


def _write(uow: ProvisioningUnit, employee_id: str, user: Resource, stored: Mapping[str, Any] | None,
           validate: Validate) -> Saved:
    """One write of `user` over `stored` (None: no living person); PreconditionFailed if another came first."""
    body = validate(scim_profiles.profile_of(user, stored))
    holder = uow.directory.holder_of(body["scim"]["user_name_key"])
    if holder not in (None, employee_id):
        raise Uniqueness(f"userName {body['scim']['user_name']!r} belongs to another User")
    return people.put_profile(uow, employee_id, body, frozenset({stored["version"]}) if stored else None)


def _check_version(stored: Mapping[str, Any], if_match: Versions) -> None:
    if if_match is not None and stored["version"] not in if_match:
        raise PreconditionFailed("If-Match does not match the current version of the User")
