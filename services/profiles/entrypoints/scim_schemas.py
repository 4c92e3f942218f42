"""The check every SCIM write passes: the native PUT body schema, plus the SCIM identity kept beside it.

`validate_profile` is what the provisioning use cases are given as `validate`: the profile a User maps
to is loaded by `ProfileIn` (the schema of `PUT /v1/profiles/{id}`), so a SCIM write and a native write
accept exactly the same values; errors name the SCIM attribute a provider has to fix.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from services.profiles.domain.scim_errors import InvalidValue
from services.profiles.domain.scim_profiles import ATTRIBUTE_OF_FIELD, ATTRIBUTE_OF_IDENTITY
from services.profiles.entrypoints.schemas import ProfileIn
from shared.schemas import SingleLine, Strict

NAME_PARTS = ("formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix")


class ScimIdentityIn(Strict):
    """What of a User has no profile field (domain/scim_profiles.py `_identity`)."""

    user_name = SingleLine(256, min_len=1, required=True)
    user_name_key = SingleLine(256, min_len=1, required=True)
    external_id = SingleLine(256, min_len=1)
    name = fields.Dict(keys=fields.String(validate=validate.OneOf(NAME_PARTS)), values=SingleLine(200))
    preferred_language = SingleLine(35)
    locale = SingleLine(35)
    employee_number = SingleLine(64)
    organization = SingleLine(200)
    division = SingleLine(200)
    cost_center = SingleLine(200)


class ProvisionedProfileIn(ProfileIn):
    scim = fields.Nested(ScimIdentityIn, required=True)


def validate_profile(body: dict[str, Any]) -> dict[str, Any]:
    """The profile body loaded as the native API loads it; InvalidValue naming the User's attributes."""
    try:
        return ProvisionedProfileIn().load(body)
    except ValidationError as exc:
        errors = _by_attribute(exc.messages)
        detail = "; ".join(f"{attribute}: {' '.join(_flat(messages))}" for attribute, messages in errors.items())
        raise InvalidValue(detail, errors) from exc


def _by_attribute(messages: dict) -> dict[str, Any]:
    named: dict[str, Any] = {}
    for field, message in messages.items():
        if field == "scim" and isinstance(message, dict):
            named |= {ATTRIBUTE_OF_IDENTITY.get(k, k): m for k, m in message.items()}
        else:
            named[ATTRIBUTE_OF_FIELD.get(field, field)] = message
    return named


def _flat(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _flat(value)]
    if isinstance(messages, list):
        return [text for value in messages for text in _flat(value)]
    return [str(messages)]
