"""A person's profile: its defaults, what a person may change themselves, and what leaves the service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shared.events import catalog as ev
from shared.events.catalog import EventType

SOURCE = "/tandem/profiles"

# The fields a person may change about themselves; everything else belongs to HR (PUT only).
SELF_SERVICE_FIELDS = frozenset({"skills", "interests", "bio", "languages", "availability_hours_per_month",
                                 "mentor_capacity", "roles"})

# What leaves the service on the bus: a bio is free text and stays here, and so does the identity an
# identity provider gave a person (`scim`: userName, externalId, name parts; domain/scim_users.py).
PRIVATE_PROFILE_FIELDS = frozenset({"bio", "scim"})

# Bookkeeping the store keeps beside what HR sent.
STORED_ONLY_FIELDS = frozenset({"_id", "version", "created_at", "updated_at", "erased", "erased_at"})


def with_defaults(profile: Mapping[str, Any]) -> dict[str, Any]:
    """Fill the optional fields the way DESIGN.md §4 promises."""
    filled = {"title": None, "location": None, "timezone": "UTC", "languages": ["en"], "manager_id": None,
              "years_experience": None, "skills": [], "interests": [], "availability_hours_per_month": None,
              "bio": None, "employment_status": "active", **profile}
    if filled.get("mentor_capacity") is None:
        filled["mentor_capacity"] = 1 if "mentor" in filled["roles"] else 0
    filled["skills"] = normalise_skills(filled["skills"])
    return filled


def normalise_skills(skills: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Lower-case skill names; a repeated skill keeps its highest level."""
    best: dict[str, int] = {}
    for skill in skills:
        name = skill["name"].strip().lower()
        best[name] = max(best.get(name, 0), int(skill["level"]))
    return [{"name": name, "level": level} for name, level in best.items()]


def changed_fields(stored: Mapping[str, Any] | None, incoming: Mapping[str, Any]) -> set[str]:
    if stored is None:
        return set(incoming)
    return {k for k, v in incoming.items() if stored.get(k) != v}


def public_fields(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The profile as HR and the person describe it, without the store's bookkeeping."""
    return {k: v for k, v in stored.items() if k not in STORED_ONLY_FIELDS}


def is_live(stored: Mapping[str, Any] | None) -> bool:
    """Stored and not erased (an erased person leaves a tombstone that only keeps the version)."""
    return stored is not None and not stored.get("erased")


def event_data(profile: Mapping[str, Any]) -> dict[str, Any]:
    """The profile as other services see it on `mentoring.profiles`."""
    return {k: v for k, v in profile.items()
            if k not in PRIVATE_PROFILE_FIELDS and k not in ("created_at", "erased")}


def revision(stored: Mapping[str, Any] | None, incoming: Mapping[str, Any],
             now: str) -> tuple[dict[str, Any], EventType] | None:
    """The next version of a person from what HR sent, over what is stored (nothing, a living profile or
    an erasure's tombstone), with the event it causes; None when nothing changed (a re-send is a no-op)."""
    if not is_live(stored):
        version = (stored or {}).get("version", 0) + 1  # after an erasure, a rehire continues its versions
        return {**incoming, "version": version, "created_at": now, "updated_at": now}, ev.PROFILE_CREATED
    if not changed_fields(public_fields(stored), incoming):
        return None
    return ({**incoming, "version": stored["version"] + 1, "created_at": stored["created_at"], "updated_at": now},
            ev.PROFILE_UPDATED)


def tombstone(employee_id: str, version: int, now: str) -> dict[str, Any]:
    """What is left of an erased person: the id and the version, so a rehire continues from it."""
    return {"employee_id": employee_id, "erased": True, "version": version, "erased_at": now}
