"""What a SCIM client did wrong (RFC 7644 §3.12): domain errors that carry the `scimType` they answer with.

They are shared.errors.DomainError subclasses, so the use cases raise them like any other domain error;
the SCIM routes render every domain error as an `application/scim+json` error body.
"""

from __future__ import annotations

from shared.errors import Conflict, DomainError


class ScimError(DomainError):
    """A 400 with the scimType a client can act on."""

    scim_type: str | None = None


class InvalidFilter(ScimError):
    scim_type = "invalidFilter"


class InvalidPath(ScimError):
    scim_type = "invalidPath"


class InvalidSyntax(ScimError):
    scim_type = "invalidSyntax"


class InvalidValue(ScimError):
    scim_type = "invalidValue"


class NoTarget(ScimError):
    scim_type = "noTarget"


class Mutability(ScimError):
    scim_type = "mutability"


class Uniqueness(Conflict):
    """409: another User already holds this userName or id."""

    scim_type = "uniqueness"
