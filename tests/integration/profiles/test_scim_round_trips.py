"""The round trips an identity provider makes over /scim/v2, and what they do to the native API and the bus."""

import json

import pytest

from tests.integration.profiles.conftest import person
from tests.integration.profiles.scim_support import (
    ENTERPRISE_USER,
    SCIM,
    TANDEM_USER,
    assert_scim_error,
    entra_user,
    identity_provider,
    okta_user,
    patch,
)
from tests.support.http import Client, bearer
from tests.support.kafka_tap import Tap
from tests.support.polling import wait_for

CREATED, UPDATED, DELETED = "mentoring.profile.created", "mentoring.profile.updated", "mentoring.profile.deleted"
ENTRA_DEACTIVATES = {"op": "Replace", "path": "active", "value": "False"}
OKTA_DEACTIVATES = {"op": "replace", "value": {"active": False}}


@pytest.fixture
def idp(profiles) -> Client:
    return identity_provider(profiles.url)


@pytest.fixture
def profiles_topic(infra):
    tap = Tap(infra.kafka_bootstrap, "mentoring.profiles")
    yield tap
    tap.close()


def lookup(idp: Client, text: str) -> dict:
    found = idp.get("/scim/v2/Users", params={"filter": text})
    assert found.status_code == 200 and found.headers["Content-Type"] == SCIM, found.text
    return found.json()


def test_entra_creates_by_external_id_then_finds_the_user_by_user_name(idp, hr, profiles_topic, uid):
    assert lookup(idp, f'userName eq "yara.{uid}@example.com"')["totalResults"] == 0  # Entra asks before creating
    created = idp.post("/scim/v2/Users", json=entra_user(uid))
    assert created.status_code == 201 and created.headers["Content-Type"] == SCIM, created.text
    user = created.json()
    assert (user["id"], user["externalId"], created.headers["ETag"]) == (f"E{uid}", f"ext-{uid}", 'W/"1"')
    assert created.headers["Location"] == user["meta"]["location"]
    assert user["meta"]["location"].endswith(f"/scim/v2/Users/E{uid}") and user["meta"]["resourceType"] == "User"
    found = lookup(idp, f'userName eq "YARA.{uid}@EXAMPLE.COM"')  # userName ignores case
    assert found["totalResults"] == 1 and found["Resources"] == [user]
    assert lookup(idp, f'externalId eq "ext-{uid}"')["Resources"][0]["id"] == f"E{uid}"
    assert idp.get(f"/scim/v2/Users/E{uid}").json() == user

    profile = hr.get(f"/v1/profiles/E{uid}").json()
    assert {k: profile[k] for k in ("name", "email", "title", "department", "location", "languages", "grade",
                                    "employment_status")} == {
        "name": f"Yara {uid}", "email": f"yara.{uid}@example.com", "title": "Engineer", "department": "Engineering",
        "location": "Berlin", "languages": ["de"], "grade": 6, "employment_status": "active"}
    event = profiles_topic.wait_events(lambda e: e["subject"] == f"E{uid}", 1)[0]
    assert event["type"] == CREATED and event["data"]["grade"] == 6
    on_the_bus = json.dumps(event)
    assert all(private not in on_the_bus for private in (f"Yara.{uid}@Example.com", f"ext-{uid}", "CC-4", "+49"))


@pytest.mark.parametrize("deactivation", [ENTRA_DEACTIVATES, OKTA_DEACTIVATES], ids=["entra", "okta"])
def test_deactivating_a_user_terminates_the_person_for_everyone(idp, hr, profiles_topic, uid, deactivation):
    idp.post("/scim/v2/Users", json=entra_user(uid))
    patched = idp.patch(f"/scim/v2/Users/E{uid}", json=patch(deactivation))
    assert patched.status_code == 200, patched.text
    assert patched.json()["active"] is False and patched.headers["ETag"] == 'W/"2"'
    assert hr.get(f"/v1/profiles/E{uid}").json()["employment_status"] == "terminated"
    events = profiles_topic.wait_events(lambda e: e["subject"] == f"E{uid}", 2)
    assert [e["type"] for e in events] == [CREATED, UPDATED]
    assert events[1]["data"]["employment_status"] == "terminated"  # what analytics counts as attrition
    again = idp.patch(f"/scim/v2/Users/E{uid}", json=patch(deactivation))  # a provider re-sends it
    assert again.status_code == 200 and again.headers["ETag"] == 'W/"2"'


def test_entra_moves_a_person_to_a_manager_and_a_new_work_address(profiles, idp, hr, uid):
    idp.post("/scim/v2/Users", json=entra_user(f"m{uid}"))
    idp.post("/scim/v2/Users", json=entra_user(uid))
    patched = idp.patch(f"/scim/v2/Users/E{uid}", json=patch(
        {"op": "Add", "path": f"{ENTERPRISE_USER}:manager", "value": f"Em{uid}"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": f"y.{uid}@example.com"},
        {"op": "Replace", "value": {"name.givenName": "Yasmin", "displayName": f"Yasmin {uid}"}}))
    assert patched.status_code == 200, patched.text
    assert patched.json()[ENTERPRISE_USER]["manager"]["value"] == f"Em{uid}"
    profile = hr.get(f"/v1/profiles/E{uid}").json()
    assert (profile["manager_id"], profile["email"], profile["name"]) == (
        f"Em{uid}", f"y.{uid}@example.com", f"Yasmin {uid}")
    manager = Client(profiles.url, bearer("manager", employee_id=f"Em{uid}"))
    assert manager.get(f"/v1/profiles/E{uid}").status_code == 200  # the new manager follows their report


def test_okta_replaces_a_user_and_what_the_person_set_themselves_stays(profiles, idp, hr, uid):
    user = idp.post("/scim/v2/Users", json=okta_user(uid)).json()
    me = Client(profiles.url, bearer("employee", employee_id=user["id"]))
    theirs = me.patch(f"/v1/profiles/{user['id']}", json={"skills": [{"name": "Negotiation", "level": 4}],
                                                          "roles": ["mentor"], "mentor_capacity": 2})
    assert theirs.status_code == 200, theirs.text
    stale = idp.put(f"/scim/v2/Users/{user['id']}", json=okta_user(uid, title="Account Executive"),
                    headers={"If-Match": user["meta"]["version"]})
    assert_scim_error(stale, 412)
    current = idp.get(f"/scim/v2/Users/{user['id']}")
    replaced = idp.put(f"/scim/v2/Users/{user['id']}", json=okta_user(uid, title="Account Executive"),
                       headers={"If-Match": current.headers["ETag"]})
    assert replaced.status_code == 200 and replaced.json()["meta"]["version"] == 'W/"3"', replaced.text
    profile = hr.get(f"/v1/profiles/{user['id']}").json()
    assert profile["title"] == "Account Executive" and profile["skills"] == [{"name": "negotiation", "level": 4}]
    assert profile["roles"] == ["mentor"] and profile["mentor_capacity"] == 2
    assert "password" not in replaced.json() and "s3cr3t" not in json.dumps(profile)


def test_a_user_name_already_taken_is_a_uniqueness_conflict(idp, uid):
    assert idp.post("/scim/v2/Users", json=okta_user(uid)).status_code == 201
    someone_else = okta_user(f"{uid}b", user_name=f"OKTA.{uid}@EXAMPLE.COM")
    assert_scim_error(idp.post("/scim/v2/Users", json=someone_else), 409, "uniqueness")
    assert_scim_error(idp.post("/scim/v2/Users", json=okta_user(uid)), 409, "uniqueness")  # a retried create


def test_a_new_person_without_a_grade_is_refused_with_what_to_send(idp, uid):
    refused = idp.post("/scim/v2/Users", json=okta_user(uid, **{TANDEM_USER: {}}))
    assert f"{TANDEM_USER}:grade" in assert_scim_error(refused, 400, "invalidValue")["detail"]
    assert lookup(idp, f'userName eq "okta.{uid}@example.com"')["totalResults"] == 0


def test_a_person_hr_pushed_natively_is_adopted_with_their_grade(idp, hr, uid):
    hr.put(f"/v1/profiles/E{uid}", json=person(uid, grade=11, roles=["mentor"]))
    assert_scim_error(idp.get(f"/scim/v2/Users/E{uid}"), 404)  # not a User until a provider creates them
    adopted = idp.post("/scim/v2/Users", json=entra_user(uid, **{TANDEM_USER: {}}))
    assert adopted.status_code == 201, adopted.text
    assert adopted.json()[TANDEM_USER] == {"grade": 11, "mentoringRoles": ["mentor"], "mentorCapacity": 1}
    profile = hr.get(f"/v1/profiles/E{uid}").json()
    assert (profile["grade"], profile["version"], profile["name"]) == (11, 2, f"Yara {uid}")


def test_delete_erases_the_person_and_a_rehire_is_the_same_employee(infra, idp, hr, profiles_topic, uid):
    idp.post("/scim/v2/Users", json=entra_user(uid))
    profiles_topic.wait_events(lambda e: e["subject"] == f"E{uid}", 1)  # (pending events die with the person)
    deleted = idp.delete(f"/scim/v2/Users/E{uid}")
    assert deleted.status_code == 204 and not deleted.content
    assert_scim_error(idp.get(f"/scim/v2/Users/E{uid}"), 404)
    assert hr.get(f"/v1/profiles/E{uid}").status_code == 404
    assert lookup(idp, f'userName eq "yara.{uid}@example.com"')["totalResults"] == 0
    key = f"E{uid}".encode()
    mine = wait_for(lambda: (found := [r for r in profiles_topic.drain() if r.key == key]) and found[-1].value is None
                    and found, timeout=30, message="the erasure's tombstone")
    assert [json.loads(r.value)["type"] if r.value else None for r in mine] == [CREATED, DELETED, None]
    rehired = idp.post("/scim/v2/Users", json=entra_user(uid))
    assert rehired.status_code == 201 and rehired.json()["meta"]["version"] == 'W/"3"'
