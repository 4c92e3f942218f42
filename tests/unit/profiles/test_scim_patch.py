"""PATCH operations on a User as Okta and Microsoft Entra ID send them (RFC 7644 §3.5.2)."""

import pytest

from services.profiles.domain import scim_patch
from services.profiles.domain.scim_errors import InvalidPath, InvalidSyntax, InvalidValue, Mutability, NoTarget
from services.profiles.domain.scim_patch import PATCH_OP, apply, read_operations
from services.profiles.domain.scim_profiles import profile_of
from services.profiles.domain.scim_user_schema import CORE_USER, ENTERPRISE_USER, TANDEM_USER


def user(**overrides) -> dict:
    return {"schemas": [CORE_USER, ENTERPRISE_USER, TANDEM_USER], "id": "E1", "userName": "yara@example.com",
            "active": True, "displayName": "Yara Haddad", "name": {"givenName": "Yara", "familyName": "Haddad"},
            "emails": [{"value": "yara@example.com", "type": "work", "primary": True},
                       {"value": "yara@home.example", "type": "home"}],
            ENTERPRISE_USER: {"employeeNumber": "E1", "department": "Engineering", "manager": {"value": "M7"}},
            TANDEM_USER: {"grade": 6, "mentoringRoles": ["mentee"], "mentorCapacity": 0},
            "meta": {"resourceType": "User", "version": 'W/"3"'}, **overrides}


def patched(*operations: dict, before: dict | None = None) -> dict:
    return apply(before or user(), read_operations({"schemas": [PATCH_OP], "Operations": list(operations)}))


def test_entra_deprovisions_with_a_path_and_a_string_boolean():
    assert patched({"op": "Replace", "path": "active", "value": "False"})["active"] is False


def test_okta_deprovisions_with_a_value_object_and_no_path():
    assert patched({"op": "replace", "value": {"active": False}})["active"] is False
    assert patched({"op": "replace", "path": "active", "value": False})["active"] is False


def test_a_value_object_holds_paths_and_extension_objects():
    result = patched({"op": "Replace", "value": {"name.givenName": "Yasmin", f"{ENTERPRISE_USER}:department": "Ops",
                                                 "displayName": "Yasmin Haddad"}},
                     {"op": "add", "value": {ENTERPRISE_USER: {"costCenter": "CC-9"}}})
    assert result["name"] == {"givenName": "Yasmin", "familyName": "Haddad"}
    assert result["displayName"] == "Yasmin Haddad"
    assert result[ENTERPRISE_USER]["department"] == "Ops" and result[ENTERPRISE_USER]["costCenter"] == "CC-9"


def test_a_value_filter_picks_the_items_a_sub_attribute_is_set_on():
    result = patched({"op": "replace", "path": 'emails[type eq "work"].value', "value": "yara.h@example.com"})
    assert [e["value"] for e in result["emails"]] == ["yara.h@example.com", "yara@home.example"]


def test_setting_an_item_the_person_does_not_have_creates_it():
    result = patched({"op": "Add", "path": 'emails[type eq "work"].value', "value": "new@example.com"},
                     before=user(emails=[]))
    assert result["emails"] == [{"type": "work", "value": "new@example.com"}]
    assert profile_of(result, None)["email"] == "new@example.com"


def test_removing_filtered_items_leaves_the_others():
    result = patched({"op": "remove", "path": 'emails[type eq "HOME"]'})  # the filter ignores case, like type
    assert [e["type"] for e in result["emails"]] == ["work"]
    with pytest.raises(NoTarget):
        patched({"op": "remove", "path": 'emails[type eq "other"]'})
    with pytest.raises(NoTarget):
        patched({"op": "replace", "path": 'emails[value co "@example.com"].display', "value": "x"},
                before=user(emails=[]))


def test_entra_sets_and_removes_the_manager_by_id():
    assert patched({"op": "Add", "path": f"{ENTERPRISE_USER}:manager", "value": "M9"})[ENTERPRISE_USER][
        "manager"] == {"value": "M9"}
    removed = patched({"op": "Remove", "path": f"{ENTERPRISE_USER}:manager"})
    assert profile_of(removed, None)["manager_id"] is None


def test_adding_to_a_multi_valued_attribute_appends_what_is_new_and_replace_sets_it():
    path = f"{TANDEM_USER}:mentoringRoles"
    assert patched({"op": "add", "path": path, "value": ["mentor", "mentee"]})[TANDEM_USER]["mentoringRoles"] == [
        "mentee", "mentor"]
    assert patched({"op": "replace", "path": path, "value": ["mentor"]})[TANDEM_USER]["mentoringRoles"] == ["mentor"]


def test_removing_a_tandem_attribute_clears_it_rather_than_keeping_it():
    removed = patched({"op": "remove", "path": f"{TANDEM_USER}:mentorCapacity"})
    stored = {"grade": 6, "roles": ["mentor"], "mentor_capacity": 3, "email": "y@example.com", "department": "D"}
    assert profile_of(removed, stored)["mentor_capacity"] is None  # with_defaults derives it from the roles


def test_the_input_user_is_left_as_it_was():
    before = user()
    patched({"op": "replace", "path": "name.givenName", "value": "Y"}, before=before)
    assert before == user()


@pytest.mark.parametrize(("operation", "error"), [
    ({"op": "replace", "path": "id", "value": "E2"}, Mutability),
    ({"op": "replace", "path": "meta.version", "value": "1"}, Mutability),
    ({"op": "add", "path": "groups", "value": [{"value": "g1"}]}, Mutability),
    ({"op": "replace", "path": "favouriteColour", "value": "teal"}, InvalidPath),
    ({"op": "replace", "path": "urn:example:unknown:colour", "value": "teal"}, InvalidPath),
    ({"op": "replace", "path": "emails[type eq", "value": "x"}, InvalidPath),
    ({"op": "replace", "path": 'title[value eq "x"]', "value": "x"}, InvalidPath),
    ({"op": "replace", "path": 'emails[colour eq "x"].value', "value": "x"}, InvalidPath),
    ({"op": "replace", "path": 'emails[type eq "work"].colour', "value": "x"}, InvalidPath),
    ({"op": "replace", "path": "active", "value": "maybe"}, InvalidValue),
    ({"op": "replace", "path": "name", "value": ["Y"]}, InvalidSyntax),
    ({"op": "replace", "value": "not an object"}, InvalidValue),
    ({"op": "replace", "value": {"nick": "Y"}}, InvalidPath),
])
def test_an_operation_on_what_cannot_be_changed_so_is_refused(operation, error):
    with pytest.raises(error):
        patched(operation)


@pytest.mark.parametrize(("body", "error"), [
    ({"Operations": [{"op": "add", "path": "title", "value": "x"}]}, InvalidSyntax),
    ({"schemas": [PATCH_OP], "Operations": []}, InvalidSyntax),
    ({"schemas": [PATCH_OP], "Operations": {"op": "add"}}, InvalidSyntax),
    ({"schemas": [PATCH_OP], "Operations": [{"op": "move", "path": "title"}]}, InvalidSyntax),
    ({"schemas": [PATCH_OP], "Operations": ["add"]}, InvalidSyntax),
    ({"schemas": [PATCH_OP], "Operations": [{"op": "remove"}]}, NoTarget),
    ({"schemas": [PATCH_OP], "Operations": [{"op": "add", "path": "title"}]}, InvalidValue),
    ({"schemas": [PATCH_OP], "Operations": [{"op": "add", "path": 7, "value": "x"}]}, InvalidPath),
    ({"schemas": [PATCH_OP], "Operations": [{"op": "remove", "path": "title"}] * (scim_patch.MAX_OPERATIONS + 1)},
     InvalidSyntax),
    ([{"op": "remove", "path": "title"}], InvalidSyntax),
])
def test_a_body_that_is_not_a_patch_op_is_refused(body, error):
    with pytest.raises(error):
        read_operations(body)
