"""The profile a SCIM User asks for: what an identity provider sends, as the body HR would PUT.

The rules, for a create and for a replace alike (a PATCH is applied to the User and then replaces it):
- A SCIM attribute replaces the profile field it maps to; one the provider leaves out is cleared,
  except where Tandem requires a value (email, department, grade), which keeps the stored one and
  is refused (400 invalidValue) for a person new to Tandem.
- What people set themselves (skills, interests, bio, availability; mentoring roles and capacity and
  languages unless the provider sends them) is never cleared by a provider.
- Tandem extension attributes set what they carry; left out, they keep their value; null clears.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from services.profiles.domain.scim_errors import InvalidValue
from services.profiles.domain.scim_user_schema import ENTERPRISE_USER, TANDEM_USER
from services.profiles.domain.scim_users import primary_subtag, user_name_key
from shared.schemas import EMPLOYEE_ID_ERROR, EMPLOYEE_ID_PATTERN

PEOPLES_OWN = ("skills", "interests", "bio", "availability_hours_per_month")
TANDEM_FIELDS = {"grade": "grade", "mentoringRoles": "roles", "mentorCapacity": "mentor_capacity",
                 "yearsExperience": "years_experience"}
# Which User attribute a profile field comes from, to name it in an error the provider can act on.
ATTRIBUTE_OF_FIELD = {
    "name": "displayName", "email": "emails.value", "title": "title", "department": f"{ENTERPRISE_USER}:department",
    "location": "addresses.locality", "timezone": "timezone", "languages": "preferredLanguage",
    "manager_id": f"{ENTERPRISE_USER}:manager.value", "employment_status": "active",
    **{field: f"{TANDEM_USER}:{attribute}" for attribute, field in TANDEM_FIELDS.items()},
}
ATTRIBUTE_OF_IDENTITY = {
    "user_name": "userName", "user_name_key": "userName", "external_id": "externalId", "name": "name",
    "preferred_language": "preferredLanguage", "locale": "locale",
    "employee_number": f"{ENTERPRISE_USER}:employeeNumber", "organization": f"{ENTERPRISE_USER}:organization",
    "division": f"{ENTERPRISE_USER}:division", "cost_center": f"{ENTERPRISE_USER}:costCenter",
}
_CLEARED = {"roles": []}  # null or never set; with_defaults derives the capacity from the roles
MAX_LANGUAGES = 20  # as the profile schema allows


def employee_id_for(resource: Mapping[str, Any]) -> str:
    """The employee id of a User being created: its employeeNumber, else derived from who it is.

    Derived from externalId (the provider's own id of the person), else from the userName ignoring
    case, so the same person provisioned again after an erasure is the same employee, and a create
    retried after a lost answer finds the first one.
    """
    number = (resource.get(ENTERPRISE_USER) or {}).get("employeeNumber")
    if number:
        if not EMPLOYEE_ID_PATTERN.fullmatch(number):
            raise InvalidValue(f"{ENTERPRISE_USER}:employeeNumber must be a Tandem employee id: {EMPLOYEE_ID_ERROR}")
        return number
    seed = resource.get("externalId") or user_name_key(_user_name(resource))
    return "scim-" + hashlib.sha256(seed.encode()).hexdigest()[:20]


def profile_of(resource: Mapping[str, Any], stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """The profile `resource` asks for over `stored` (a living profile, or None for a person new to Tandem)."""
    before, enterprise = dict(stored or {}), resource.get(ENTERPRISE_USER) or {}
    profile = {field: before[field] for field in PEOPLES_OWN if field in before}
    profile.update({
        "name": _display_name(resource),
        "email": _required(_chosen(resource.get("emails"), "value"), before, "email", "emails"),
        "title": resource.get("title"),
        "department": _required(enterprise.get("department"), before, "department", f"{ENTERPRISE_USER}:department"),
        "location": _chosen(resource.get("addresses"), "locality"),
        "timezone": resource.get("timezone") or "UTC",
        "languages": _languages(resource, before.get("languages")),
        "manager_id": (enterprise.get("manager") or {}).get("value"),
        "employment_status": _employment_status(resource.get("active"), before.get("employment_status")),
        **_tandem_fields(resource.get(TANDEM_USER), before),
        "scim": _identity(resource),
    })
    return profile


def _identity(resource: Mapping[str, Any]) -> dict[str, Any]:
    """What of the User has no profile field: kept beside the profile, never on the bus."""
    enterprise, user_name = resource.get(ENTERPRISE_USER) or {}, _user_name(resource)
    name = {part: value for part, value in (resource.get("name") or {}).items() if value is not None}
    identity = {"user_name": user_name, "user_name_key": user_name_key(user_name),
                "external_id": resource.get("externalId"), "name": name or None,
                "preferred_language": resource.get("preferredLanguage"), "locale": resource.get("locale"),
                "employee_number": enterprise.get("employeeNumber"), "organization": enterprise.get("organization"),
                "division": enterprise.get("division"), "cost_center": enterprise.get("costCenter")}
    return {key: value for key, value in identity.items() if value is not None}


def _user_name(resource: Mapping[str, Any]) -> str:
    user_name = resource.get("userName")
    if not user_name or not user_name.strip():
        raise InvalidValue("userName is required")
    return user_name


def _display_name(resource: Mapping[str, Any]) -> str:
    name = resource.get("name") or {}
    given_and_family = " ".join(part for part in (name.get("givenName"), name.get("familyName")) if part)
    return resource.get("displayName") or name.get("formatted") or given_and_family or _user_name(resource)


def _chosen(items: Sequence[Mapping[str, Any]] | None, part: str) -> Any:
    """`part` of the primary item, else of the work one, else of the first (Tandem keeps one of each)."""
    items = [item for item in items or () if item.get(part)]
    chosen = (next((i for i in items if i.get("primary")), None) or next((i for i in items if i.get("type") == "work"),
                                                                          None) or (items[0] if items else {}))
    return chosen.get(part)


def _required(value: Any, before: Mapping[str, Any], field: str, attribute: str) -> Any:
    if value:
        return value
    if before.get(field):
        return before[field]
    raise InvalidValue(f"{attribute} is required for a person new to Tandem")


def _languages(resource: Mapping[str, Any], current: list[str] | None) -> list[str]:
    """The person's languages, with the provider's preferred one (if any) first."""
    current, tag = list(current or []), resource.get("preferredLanguage") or resource.get("locale")
    if not tag:
        return current or ["en"]
    first = primary_subtag(tag)
    return [first, *(code for code in current if code != first)][:MAX_LANGUAGES]


def _employment_status(active: bool | None, before: str | None) -> str:
    if active is None:
        return before or "active"
    if not active:
        return "terminated"
    return "leave" if before == "leave" else "active"  # SCIM cannot say "on leave"; HR can


def _tandem_fields(extension: Mapping[str, Any] | None, before: Mapping[str, Any]) -> dict[str, Any]:
    extension, fields = extension or {}, {}
    for attribute, field in TANDEM_FIELDS.items():
        value = extension[attribute] if attribute in extension else before.get(field)
        fields[field] = _CLEARED.get(field) if value is None else value
    if fields["grade"] is None:
        raise InvalidValue(f"{TANDEM_USER}:grade is required: Tandem has no grade for this person (1-15; map it from "
                           "your HR data, see deploy/README.md)")
    return fields
