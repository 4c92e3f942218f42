"""How Okta and Microsoft Entra ID call /scim/v2, for the SCIM integration tests."""

from __future__ import annotations

import requests

from tests.support.http import Client, bearer

SCIM = "application/scim+json"
CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
TANDEM_USER = "urn:ietf:params:scim:schemas:extension:tandem:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def identity_provider(base_url: str) -> Client:
    """A provider's connection: a long-lived token with the scim role, SCIM bodies."""
    return Client(base_url, {**bearer("scim"), "Content-Type": SCIM, "Accept": SCIM})


def entra_user(uid: str, **overrides) -> dict:
    """A create as Entra ID sends it with its default attribute mapping, plus the Tandem grade."""
    return {"schemas": [CORE_USER, ENTERPRISE_USER, TANDEM_USER], "externalId": f"ext-{uid}",
            "userName": f"Yara.{uid}@Example.com", "active": True, "displayName": f"Yara {uid}",
            "title": "Engineer", "preferredLanguage": "de-DE",
            "name": {"givenName": "Yara", "familyName": uid, "formatted": f"Yara {uid}"},
            "emails": [{"type": "work", "value": f"yara.{uid}@example.com", "primary": True}],
            "addresses": [{"type": "work", "locality": "Berlin", "country": "DE"}],
            "phoneNumbers": [{"type": "work", "value": "+49 30 1234"}],
            ENTERPRISE_USER: {"employeeNumber": f"E{uid}", "department": "Engineering", "costCenter": "CC-4"},
            TANDEM_USER: {"grade": 6}, **overrides}


def okta_user(uid: str, user_name: str | None = None, **overrides) -> dict:
    """A create as Okta sends it (no employeeNumber unless mapped; the grade from a custom attribute)."""
    user_name = user_name or f"okta.{uid}@example.com"
    return {"schemas": [CORE_USER, TANDEM_USER, ENTERPRISE_USER], "userName": user_name, "active": True,
            "name": {"givenName": "Okta", "familyName": uid}, "locale": "en-US", "password": "s3cr3t!",
            "emails": [{"primary": True, "value": user_name, "type": "work"}], "displayName": f"Okta {uid}",
            ENTERPRISE_USER: {"department": "Sales"}, TANDEM_USER: {"grade": 4}, **overrides}


def patch(*operations: dict) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def assert_scim_error(response: requests.Response, status: int, scim_type: str | None = None) -> dict:
    """The response is an RFC 7644 §3.12 error message of `status` (and `scim_type`)."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == SCIM, response.headers["Content-Type"]
    body = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status) and body["detail"], body
    assert body.get("scimType") == scim_type, body
    return body
