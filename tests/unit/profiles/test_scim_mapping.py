"""SCIM Users and Tandem profiles, both ways: what an identity provider sends becomes the profile HR would PUT."""

import pytest

from services.profiles.domain import profiles
from services.profiles.domain.scim_errors import InvalidSyntax, InvalidValue
from services.profiles.domain.scim_profiles import employee_id_for, profile_of
from services.profiles.domain.scim_reading import read_resource
from services.profiles.domain.scim_user_schema import CORE_USER, ENTERPRISE_USER, TANDEM_USER, USER_SCHEMAS
from services.profiles.domain.scim_users import to_resource

BASE = "https://tandem.example.com/scim/v2"


def entra_user(**overrides) -> dict:
    """A create as Microsoft Entra ID sends it with its default mapping (plus the Tandem grade)."""
    return read_resource(USER_SCHEMAS, {
        "schemas": [CORE_USER, ENTERPRISE_USER, TANDEM_USER], "externalId": "yhaddad",
        "userName": "Yara.Haddad@example.com", "active": True, "displayName": "Yara Haddad",
        "title": "Engineer", "preferredLanguage": "de-DE",
        "name": {"givenName": "Yara", "familyName": "Haddad", "formatted": "Yara Haddad"},
        "emails": [{"type": "work", "value": "yara@example.com", "primary": True}],
        "addresses": [{"type": "work", "locality": "Berlin", "formatted": "Office 4", "country": "DE"}],
        "phoneNumbers": [{"type": "work", "value": "+49 30 1234"}],
        ENTERPRISE_USER: {"employeeNumber": "E1001", "department": "Engineering", "manager": "M7",
                          "costCenter": "CC-4", "organization": "Tandem GmbH", "division": "R&D"},
        TANDEM_USER: {"grade": 6}, **overrides})


def stored(resource: dict, **overrides) -> dict:
    """What the store holds once `resource` was written (as put_profile leaves it)."""
    profile = profiles.with_defaults({**profile_of(resource, None), "employee_id": employee_id_for(resource)})
    return {**profile, "version": 3, "created_at": "2026-01-05T09:00:00.000000Z",
            "updated_at": "2026-02-01T10:00:00.000000Z", **overrides}


def test_an_entra_create_becomes_the_profile_hr_would_put():
    profile = profile_of(entra_user(), None)
    assert {k: profile[k] for k in ("name", "email", "title", "department", "location", "timezone", "languages",
                                    "manager_id", "grade", "roles", "employment_status")} == {
        "name": "Yara Haddad", "email": "yara@example.com", "title": "Engineer", "department": "Engineering",
        "location": "Berlin", "timezone": "UTC", "languages": ["de"], "manager_id": "M7", "grade": 6, "roles": [],
        "employment_status": "active"}
    assert employee_id_for(entra_user()) == "E1001"


def test_what_mentoring_does_not_need_is_not_kept():
    profile = profile_of(entra_user(), None)
    assert "+49 30 1234" not in str(profile) and "Office 4" not in str(profile)


def test_the_scim_identity_is_kept_beside_the_profile_and_never_goes_on_the_bus():
    profile = stored(entra_user())
    assert profile["scim"]["user_name"] == "Yara.Haddad@example.com"
    assert profile["scim"]["user_name_key"] == "yara.haddad@example.com"
    assert "scim" not in profiles.event_data(profile) and "Tandem GmbH" not in str(profiles.event_data(profile))


def test_without_an_employee_number_the_id_is_derived_stably_from_external_id_else_user_name():
    by_external = employee_id_for(entra_user(**{ENTERPRISE_USER: {"department": "Ops"}}))
    assert by_external.startswith("scim-") and by_external == employee_id_for(
        entra_user(userName="renamed@example.com", **{ENTERPRISE_USER: {}}))
    okta = entra_user(externalId=None, **{ENTERPRISE_USER: {}})
    assert employee_id_for(okta) == employee_id_for({**okta, "userName": "YARA.HADDAD@EXAMPLE.COM"})
    assert employee_id_for(okta) != by_external != employee_id_for({**okta, "userName": "other@example.com"})


def test_an_employee_number_that_is_no_employee_id_is_refused():
    with pytest.raises(InvalidValue, match="employeeNumber"):
        employee_id_for(entra_user(**{ENTERPRISE_USER: {"employeeNumber": "E 1001/7"}}))


def test_a_person_new_to_tandem_needs_a_grade_an_email_and_a_department():
    with pytest.raises(InvalidValue, match=f"{TANDEM_USER}:grade"):
        profile_of(entra_user(**{TANDEM_USER: {}}), None)
    with pytest.raises(InvalidValue, match="emails"):
        profile_of(entra_user(emails=[]), None)
    with pytest.raises(InvalidValue, match="department"):
        profile_of(entra_user(**{ENTERPRISE_USER: {}}), None)


def test_a_replace_keeps_what_tandem_requires_when_the_provider_omits_it():
    before = stored(entra_user())
    replaced = profile_of(read_resource(USER_SCHEMAS, {"schemas": [CORE_USER], "userName": "yara@example.com"}),
                          before)
    assert (replaced["grade"], replaced["email"], replaced["department"]) == (6, "yara@example.com", "Engineering")
    assert (replaced["title"], replaced["manager_id"], replaced["location"]) == (None, None, None)  # cleared


def test_a_replace_never_clears_what_people_set_themselves():
    before = stored(entra_user(), skills=[{"name": "go", "level": 3}], bio="mine", roles=["mentor"],
                    mentor_capacity=2, languages=["de", "en", "fr"], availability_hours_per_month=4.0)
    replaced = profile_of(entra_user(preferredLanguage="en-GB", **{TANDEM_USER: {"grade": 7}}), before)
    assert (replaced["skills"], replaced["bio"], replaced["roles"], replaced["mentor_capacity"]) == (
        [{"name": "go", "level": 3}], "mine", ["mentor"], 2)
    assert replaced["languages"] == ["en", "de", "fr"] and replaced["availability_hours_per_month"] == 4.0


def test_the_tandem_extension_sets_what_it_carries_and_null_clears_it():
    before = stored(entra_user(), roles=["mentor"], mentor_capacity=2)
    changed = profile_of(entra_user(**{TANDEM_USER: {"mentoringRoles": ["mentee"], "mentorCapacity": None}}), before)
    assert (changed["roles"], changed["mentor_capacity"], changed["grade"]) == (["mentee"], None, 6)
    with pytest.raises(InvalidValue, match="grade"):
        profile_of(entra_user(**{TANDEM_USER: {"grade": None}}), before)


@pytest.mark.parametrize(("active", "status_before", "status_after"), [
    (False, "active", "terminated"), (True, "terminated", "active"), (True, "leave", "leave"),
    (None, "leave", "leave"), (None, None, "active"), (False, "leave", "terminated"),
])
def test_active_is_employment_status(active, status_before, status_after):
    before = stored(entra_user(), employment_status=status_before) if status_before else None
    assert profile_of(entra_user(active=active), before)["employment_status"] == status_after


def test_tandem_names_the_person_after_the_first_name_the_provider_gives():
    assert profile_of(entra_user(displayName=None), None)["name"] == "Yara Haddad"
    assert profile_of(entra_user(displayName=None, name={"givenName": "Yara", "familyName": "H"}), None)["name"] == (
        "Yara H")
    assert profile_of(entra_user(displayName=None, name=None), None)["name"] == "Yara.Haddad@example.com"


def test_the_one_email_kept_is_the_primary_else_the_work_else_the_first():
    emails = [{"value": "home@example.com", "type": "home"}, {"value": "work@example.com", "type": "work"}]
    assert profile_of(entra_user(emails=emails), None)["email"] == "work@example.com"
    primary = [*emails, {"value": "main@example.com", "primary": True}]
    assert profile_of(entra_user(emails=primary), None)["email"] == "main@example.com"
    assert profile_of(entra_user(emails=emails[:1]), None)["email"] == "home@example.com"


def test_a_profile_reads_back_as_the_user_the_provider_sent():
    user = to_resource(stored(entra_user()), BASE)
    assert user["id"] == "E1001" and user["userName"] == "Yara.Haddad@example.com" and user["externalId"] == "yhaddad"
    assert user["name"] == {"givenName": "Yara", "familyName": "Haddad", "formatted": "Yara Haddad"}
    assert user["emails"] == [{"value": "yara@example.com", "type": "work", "primary": True}]
    assert user["preferredLanguage"] == "de-DE" and user["active"] is True and user["title"] == "Engineer"
    assert user["addresses"] == [{"type": "work", "locality": "Berlin", "primary": True}]
    assert user[ENTERPRISE_USER] == {"employeeNumber": "E1001", "department": "Engineering", "costCenter": "CC-4",
                                     "organization": "Tandem GmbH", "division": "R&D",
                                     "manager": {"value": "M7", "$ref": f"{BASE}/Users/M7"}}
    assert user[TANDEM_USER] == {"grade": 6, "mentoringRoles": [], "mentorCapacity": 0}
    assert user["meta"] == {"resourceType": "User", "created": "2026-01-05T09:00:00.000000Z",
                            "lastModified": "2026-02-01T10:00:00.000000Z", "location": f"{BASE}/Users/E1001",
                            "version": 'W/"3"'}
    assert "phoneNumbers" not in user and "password" not in user


def test_reading_it_again_changes_nothing():
    before = stored(entra_user())
    again = profile_of(read_resource(USER_SCHEMAS, to_resource(before, BASE)), before)
    assert profiles.with_defaults({**again, "employee_id": "E1001"}) == profiles.public_fields(
        {k: v for k, v in before.items() if k not in ("version", "created_at", "updated_at")})


def test_bodies_are_read_case_insensitively_and_read_only_attributes_ignored():
    resource = read_resource(USER_SCHEMAS, {"SCHEMAS": [CORE_USER.upper()], "USERNAME": "y", "Active": "False",
                                            "id": "forged", "meta": {"version": "x"},
                                            ENTERPRISE_USER.lower(): {"MANAGER": "M7"}})
    assert resource == {"schemas": [CORE_USER], "userName": "y", "active": False,
                        ENTERPRISE_USER: {"manager": {"value": "M7"}}}


@pytest.mark.parametrize(("body", "error"), [
    ({"userName": "y"}, InvalidSyntax),
    ({"schemas": [CORE_USER, "urn:example:unknown"], "userName": "y"}, InvalidSyntax),
    ({"schemas": [CORE_USER], "userName": "y", "favouriteColour": "teal"}, InvalidSyntax),
    ({"schemas": [CORE_USER], "userName": "y", "name": {"nick": "Y"}}, InvalidSyntax),
    ({"schemas": [CORE_USER], "userName": "y", ENTERPRISE_USER: "Engineering"}, InvalidSyntax),
    ({"schemas": [CORE_USER], "userName": ["y"]}, InvalidValue),
    ({"schemas": [CORE_USER], "userName": "y", "active": "maybe"}, InvalidValue),
    ({"schemas": [CORE_USER], "userName": "y", "emails": {"value": "y@example.com"}}, InvalidValue),
    ({"schemas": [CORE_USER], "userName": "y", TANDEM_USER: {"grade": "six"}}, InvalidValue),
    ({"schemas": [CORE_USER], "userName": "y", TANDEM_USER: {"grade": 6.5}}, InvalidValue),
    ({"schemas": [CORE_USER], "userName": "y", TANDEM_USER: {"yearsExperience": float("nan")}}, InvalidValue),
])
def test_a_body_that_is_not_a_user_is_refused(body, error):
    with pytest.raises(error):
        read_resource(USER_SCHEMAS, body)


def test_a_user_without_a_user_name_is_refused():
    with pytest.raises(InvalidValue, match="userName"):
        profile_of(entra_user(userName=None), None)


@pytest.mark.parametrize("body", [["a User?"], "yara", 7, None])
def test_a_body_that_is_no_json_object_is_refused(body):
    with pytest.raises(InvalidSyntax):
        read_resource(USER_SCHEMAS, body)
