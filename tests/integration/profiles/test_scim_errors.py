"""What goes wrong over /scim/v2 is a SCIM error message, never a 500; the scim role reaches nothing else."""

import json

import pytest

from tests.integration.profiles.conftest import person
from tests.integration.profiles.scim_support import (
    CORE_USER,
    ENTERPRISE_USER,
    SCIM,
    TANDEM_USER,
    assert_scim_error,
    entra_user,
    identity_provider,
    patch,
)
from tests.support.http import Client, bearer, token

PROBLEM = "application/problem+json"


@pytest.fixture
def idp(profiles) -> Client:
    return identity_provider(profiles.url)


@pytest.fixture
def yara(idp, uid) -> str:
    created = idp.post("/scim/v2/Users", json=entra_user(uid))
    assert created.status_code == 201, created.text
    return f"/scim/v2/Users/E{uid}"


def test_bad_filters_and_paging_are_400s(idp):
    for params, scim_type in [({"filter": "userName eq"}, "invalidFilter"),
                              ({"filter": 'nickName eq "Y"'}, "invalidFilter"),
                              ({"filter": 'title gt "a"'}, "invalidFilter"),
                              ({"filter": "(" * 40 + 'userName eq "a"' + ")" * 40}, "invalidFilter"),
                              ({"startIndex": "first"}, "invalidValue"), ({"count": "1e999"}, "invalidValue")]:
        assert_scim_error(idp.get("/scim/v2/Users", params=params), 400, scim_type)


@pytest.mark.parametrize(("body", "scim_type"), [
    ("{not json", "invalidSyntax"),
    ("[" * 100_000, "invalidSyntax"),
    ("", "invalidSyntax"),
    ('["a User?"]', "invalidSyntax"),
    ('{"userName": "no schemas"}', "invalidSyntax"),
    (json.dumps({"schemas": [CORE_USER], "userName": "y@example.com", "favouriteColour": "teal"}), "invalidSyntax"),
    (json.dumps({"schemas": [CORE_USER], "userName": "y@example.com", "active": "perhaps"}), "invalidValue"),
])
def test_a_body_that_is_not_a_user_is_a_400(idp, body, scim_type):
    assert_scim_error(idp.post("/scim/v2/Users", data=body), 400, scim_type)


@pytest.mark.parametrize(("overrides", "named"), [
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"displayName": "Mal\r\nBcc: everyone@example.com"}, "displayName"),
    ({"preferredLanguage": "tlh"}, "preferredLanguage"),
    ({"emails": [{"value": "not-an-address", "type": "work"}]}, "emails.value"),
    ({TANDEM_USER: {"grade": 16}}, f"{TANDEM_USER}:grade"),
    ({ENTERPRISE_USER: {"employeeNumber": "E 1/2", "department": "Ops"}}, "employeeNumber"),
])
def test_what_the_native_api_refuses_is_refused_naming_the_attribute(idp, uid, overrides, named):
    refused = idp.post("/scim/v2/Users", json=entra_user(uid, **overrides))
    assert named in assert_scim_error(refused, 400, "invalidValue")["detail"]


def test_bad_patches_say_what_is_wrong(idp, yara):
    for operation, status, scim_type in [
        ({"op": "replace", "path": "emails[type eq", "value": "x"}, 400, "invalidPath"),
        ({"op": "replace", "path": "favouriteColour", "value": "teal"}, 400, "invalidPath"),
        ({"op": "replace", "path": "id", "value": "E2"}, 400, "mutability"),
        ({"op": "remove", "path": 'emails[type eq "home"]'}, 400, "noTarget"),
        ({"op": "remove"}, 400, "noTarget"),
        ({"op": "move", "path": "title"}, 400, "invalidSyntax"),
        ({"op": "replace", "path": "timezone", "value": "Nowhere/Else"}, 400, "invalidValue"),
    ]:
        assert_scim_error(idp.patch(yara, json=patch(operation)), status, scim_type)
    assert_scim_error(idp.patch(yara, json={"Operations": []}), 400, "invalidSyntax")


def test_versions_unknown_users_paths_and_methods(idp, yara, uid):
    assert_scim_error(idp.put(yara, json=entra_user(uid), headers={"If-Match": 'W/"7"'}), 412)
    assert_scim_error(idp.delete(yara, headers={"If-Match": '"never-issued"'}), 412)
    assert idp.get(yara).status_code == 200
    for method, path in [("GET", "/scim/v2/Users/nobody"), ("DELETE", "/scim/v2/Users/nobody"),
                         ("PATCH", "/scim/v2/Users/nobody"), ("GET", "/scim/v2/Groups"),
                         ("GET", "/scim/v2/Users/E1/extra"), ("GET", "/scim/v2"),
                         ("GET", "/scim/v2/ResourceTypes/Group"), ("GET", "/scim/v2/Schemas/urn:example:nothing")]:
        response = idp.request(method, path, json=patch({"op": "remove", "path": "title"}))
        assert_scim_error(response, 404)
    not_allowed = idp.delete("/scim/v2/Users")
    assert_scim_error(not_allowed, 405) and not_allowed.headers["Allow"] == "GET, POST"
    assert_scim_error(idp.post("/scim/v2/Bulk", json={}), 501)


def test_a_body_over_the_size_limit_is_a_413(idp, uid):
    huge = entra_user(uid, title="x" * (3 * 1024 * 1024))  # the fixture allows 2 MiB
    assert_scim_error(idp.post("/scim/v2/Users", json=huge), 413)


def test_only_hr_and_identity_providers_reach_scim(profiles, yara):
    for headers, status in [({}, 401), (bearer("employee", employee_id="E1"), 403), (bearer("program_admin"), 403),
                            (bearer("manager", employee_id="E1"), 403), ({"Authorization": "Bearer forged"}, 401)]:
        response = Client(profiles.url, headers).get("/scim/v2/Users")
        assert_scim_error(response, status)
    assert Client(profiles.url, bearer("hr_admin")).get(yara).status_code == 200
    assert Client(profiles.url, bearer("scim")).get("/scim/v2/ServiceProviderConfig").status_code == 200


def test_an_identity_providers_token_reaches_nothing_under_v1(profiles, hr, uid):
    hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    provider = Client(profiles.url, {"Authorization": "Bearer " + token("scim", sub="okta", employee_id=f"E{uid}")})
    for method, path, body in [("GET", f"/v1/profiles/E{uid}", None), ("GET", "/v1/profiles", None),
                               ("PATCH", f"/v1/profiles/E{uid}", {"bio": "not mine"}),
                               ("POST", f"/v1/profiles/E{uid}/goals", {"title": "x"})]:
        refused = provider.request(method, path, json=body)
        assert refused.status_code == 403 and refused.headers["Content-Type"] == PROBLEM, (path, refused.text)
    assert hr.get(f"/v1/profiles/E{uid}").json()["bio"] == "private bio text"
    both = Client(profiles.url, bearer("scim", "hr_admin"))
    assert both.get(f"/v1/profiles/E{uid}").status_code == 200  # with another role, that role's rights


def test_the_openapi_document_describes_scim_with_scim_errors(profiles):
    paths = Client(profiles.url).get("/openapi.json").json()["paths"]
    scim_operations = [(p, m, op) for p, ops in paths.items() if p.startswith("/scim/v2") for m, op in ops.items()
                       if m != "parameters"]
    assert {(p, m) for p, m, _ in scim_operations} >= {("/scim/v2/Users", "get"), ("/scim/v2/Users", "post"),
                                                       ("/scim/v2/Users/{user_id}", "patch"),
                                                       ("/scim/v2/Schemas", "get")}
    for path, method, op in scim_operations:
        assert set(op["responses"]["default"]["content"]) == {SCIM}, (path, method)
        assert all(set(r.get("content", {SCIM: 0})) == {SCIM} for r in op["responses"].values()), (path, method)


def test_the_schemas_document_describes_every_attribute_a_provider_sends(idp, uid):
    described = {}
    for schema in idp.get("/scim/v2/Schemas").json()["Resources"]:
        described[schema["id"]] = {a["name"]: a for a in schema["attributes"]}
    sent = entra_user(uid)
    core = {k for k in sent if k != "schemas" and not k.startswith("urn:")}
    assert core <= set(described[CORE_USER])
    assert set(sent[ENTERPRISE_USER]) <= set(described[ENTERPRISE_USER])
    assert set(described[TANDEM_USER]) == {"grade", "mentoringRoles", "mentorCapacity", "yearsExperience"}
    assert described[CORE_USER]["phoneNumbers"]["returned"] == "never"  # accepted, not kept
    assert described[CORE_USER]["userName"]["uniqueness"] == "server"
    types = idp.get("/scim/v2/ResourceTypes").json()["Resources"]
    assert [t["schema"] for t in types] == [CORE_USER] and len(types[0]["schemaExtensions"]) == 2
    config = idp.get("/scim/v2/ServiceProviderConfig").json()
    assert config["patch"]["supported"] and config["filter"]["supported"] and not config["bulk"]["supported"]
