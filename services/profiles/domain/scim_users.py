"""A provisioned person as a SCIM User (RFC 7643 §4): the profile, plus the identity the provider gave it.

A profile written over SCIM carries a `scim` sub-document (userName, externalId, the name parts, the
Enterprise attributes Tandem has no field for); it stays in the profiles service, like the bio.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.profiles.domain.scim_user_schema import CORE_USER, ENTERPRISE_USER, TANDEM_USER

SCHEMA_IDS = (CORE_USER, ENTERPRISE_USER, TANDEM_USER)


def user_name_key(user_name: str) -> str:
    """What makes two userNames the same: they are compared ignoring case (RFC 7643 §4.1.1)."""
    return user_name.casefold()


def primary_subtag(language_tag: str) -> str:
    """`de` of `de-CH` (or of `de_CH`, as some locales are written)."""
    return language_tag.replace("_", "-").split("-", 1)[0].lower()


def version_tag(version: int) -> str:
    """A profile version as the weak entity-tag of `meta.version` and the ETag header."""
    return f'W/"{version}"'


def is_provisioned(profile: Mapping[str, Any] | None) -> bool:
    """A living profile with a SCIM identity: what /Users shows (people HR created natively are not Users)."""
    return profile is not None and not profile.get("erased") and "scim" in profile


def to_resource(profile: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    """The User a provisioned profile is, with `meta` (its location under `base_url`)."""
    identity, employee_id = profile["scim"], profile["employee_id"]
    user = {
        "schemas": list(SCHEMA_IDS), "id": employee_id, "externalId": identity.get("external_id"),
        "userName": identity["user_name"], "name": identity.get("name") or {"formatted": profile["name"]},
        "displayName": profile["name"], "title": profile.get("title"),
        "preferredLanguage": _preferred_language(identity, profile.get("languages") or []),
        "locale": identity.get("locale"), "timezone": profile.get("timezone"),
        "active": profile.get("employment_status") != "terminated",
        "emails": [{"value": profile["email"], "type": "work", "primary": True}],
        "addresses": [{"type": "work", "locality": profile["location"], "primary": True}]
        if profile.get("location") else None,
        ENTERPRISE_USER: _enterprise(profile, identity, base_url),
        TANDEM_USER: {"grade": profile.get("grade"), "mentoringRoles": profile.get("roles", []),
                      "mentorCapacity": profile.get("mentor_capacity"),
                      "yearsExperience": profile.get("years_experience")},
        "meta": {"resourceType": "User", "created": profile.get("created_at"),
                 "lastModified": profile.get("updated_at"), "location": f"{base_url}/Users/{employee_id}",
                 "version": version_tag(profile["version"])},
    }
    return _without_nulls(user)


def _enterprise(profile: Mapping[str, Any], identity: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    manager = profile.get("manager_id")
    return {"employeeNumber": identity.get("employee_number"), "department": profile.get("department"),
            "costCenter": identity.get("cost_center"), "organization": identity.get("organization"),
            "division": identity.get("division"),
            "manager": {"value": manager, "$ref": f"{base_url}/Users/{manager}"} if manager else None}


def _preferred_language(identity: Mapping[str, Any], languages: list[str]) -> str | None:
    """The tag the provider sent while it still names the person's first language, else that language."""
    sent = identity.get("preferred_language")
    if sent and languages and primary_subtag(sent) == languages[0]:
        return sent
    return languages[0] if languages else None


def _without_nulls(value: Any) -> Any:
    """Unassigned attributes are left out of a representation (RFC 7643 §2.5)."""
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value if v is not None]
    return value
