"""The provisioning use cases on in-memory ports: each SCIM write is a profile write, with its events."""

import pytest

from services.profiles.domain.scim_errors import InvalidValue, Uniqueness
from services.profiles.domain.scim_patch import PATCH_OP, read_operations
from services.profiles.domain.scim_reading import read_resource
from services.profiles.domain.scim_user_schema import CORE_USER, ENTERPRISE_USER, TANDEM_USER, USER_SCHEMAS
from services.profiles.entrypoints.scim_schemas import validate_profile
from services.profiles.use_cases import people, provisioning
from shared.errors import Conflict, NotFound, PreconditionFailed
from tests.unit.profiles.conftest import HR, body
from tests.unit.profiles.fakes import once
from tests.unit.profiles.scim_fakes import FakeProvisioningUnit

CREATED, UPDATED, DELETED = "mentoring.profile.created", "mentoring.profile.updated", "mentoring.profile.deleted"


@pytest.fixture
def uow() -> FakeProvisioningUnit:
    return FakeProvisioningUnit()


def user(user_name: str = "yara@example.com", **overrides) -> dict:
    enterprise = {"employeeNumber": "E1", "department": "Engineering", **overrides.pop("enterprise", {})}
    return read_resource(USER_SCHEMAS, {
        "schemas": [CORE_USER, ENTERPRISE_USER], "userName": user_name, "displayName": "Yara Haddad",
        "emails": [{"value": "yara@example.com", "type": "work"}], ENTERPRISE_USER: enterprise,
        TANDEM_USER: {"grade": 6}, **overrides})


def patch(*operations: dict) -> list:
    return read_operations({"schemas": [PATCH_OP], "Operations": list(operations)})


def create(uow, resource: dict | None = None) -> people.Saved:
    return provisioning.create_user(uow, resource or user(), validate_profile)


def test_a_create_is_a_new_profile_with_its_created_event(uow):
    saved = create(uow)
    assert (saved.outcome, saved.profile["version"], saved.profile["grade"]) == ("created", 1, 6)
    assert people.read_profile(uow, HR, "E1")["name"] == "Yara Haddad"
    assert uow.people.events_of("E1") == [CREATED]
    assert "scim" not in uow.people.outbox["E1"][0].data  # the SCIM identity stays in profiles


def test_a_user_name_is_unique_ignoring_case(uow):
    create(uow)
    with pytest.raises(Uniqueness):
        create(uow, user("YARA@example.com", enterprise={"employeeNumber": "E2"}))
    with pytest.raises(Uniqueness):
        create(uow, user("other@example.com"))  # the same id
    assert uow.people.get("E2") is None and uow.people.events_of("E1") == [CREATED]


def test_a_person_hr_created_is_adopted_with_what_hr_and_they_set(uow):
    people.put_profile(uow, "E1", body(grade=9, skills=[{"name": "go", "level": 4}], roles=["mentor"]))
    with pytest.raises(NotFound):
        provisioning.find_user(uow, "E1")  # not a User until a provider creates them
    saved = create(uow, user(**{TANDEM_USER: {}}))
    assert (saved.outcome, saved.profile["grade"], saved.profile["roles"]) == ("updated", 9, ["mentor"])
    assert saved.profile["skills"] == [{"name": "go", "level": 4}]
    assert uow.people.events_of("E1") == [CREATED, UPDATED]


def test_a_create_the_profile_rules_refuse_writes_nothing(uow):
    with pytest.raises(InvalidValue, match="grade"):
        create(uow, user(**{TANDEM_USER: {}}))
    with pytest.raises(InvalidValue, match="timezone"):
        create(uow, user(timezone="Mars/Olympus_Mons"))
    with pytest.raises(InvalidValue, match="preferredLanguage"):
        create(uow, user(preferredLanguage="xx-YY"))
    with pytest.raises(InvalidValue, match="displayName"):
        create(uow, user(displayName="Mal\r\nBcc: all@example.com"))
    with pytest.raises(InvalidValue, match="userName"):
        create(uow, user("y" * 300))
    assert uow.people.docs == {}


def test_a_replace_writes_a_new_version_and_an_unchanged_one_writes_nothing(uow):
    create(uow)
    replaced = provisioning.replace_user(uow, "E1", user(title="Staff Engineer"), validate_profile)
    again = provisioning.replace_user(uow, "E1", user(title="Staff Engineer"), validate_profile)
    assert (replaced.outcome, replaced.profile["version"], again.outcome) == ("updated", 2, "unchanged")
    assert uow.people.events_of("E1") == [CREATED, UPDATED]


def test_a_replace_may_not_take_another_users_name(uow):
    create(uow)
    create(uow, user("other@example.com", enterprise={"employeeNumber": "E2"}))
    with pytest.raises(Uniqueness):
        provisioning.replace_user(uow, "E2", user("Yara@Example.com", enterprise={"employeeNumber": "E2"}),
                                  validate_profile)


def test_deactivating_is_a_termination_and_an_updated_event(uow):
    create(uow)
    saved = provisioning.patch_user(uow, "E1", patch({"op": "replace", "value": {"active": False}}), validate_profile)
    assert saved.profile["employment_status"] == "terminated" and saved.profile["version"] == 2
    assert uow.people.events_of("E1") == [CREATED, UPDATED]


def test_if_match_of_another_version_is_refused(uow):
    create(uow)
    provisioning.patch_user(uow, "E1", patch({"op": "replace", "path": "title", "value": "A"}), validate_profile)
    with pytest.raises(PreconditionFailed):
        provisioning.patch_user(uow, "E1", patch({"op": "replace", "path": "title", "value": "B"}), validate_profile,
                                if_match=frozenset({1}))
    with pytest.raises(PreconditionFailed):
        provisioning.delete_user(uow, "E1", if_match=frozenset({1}))
    assert people.get_profile(uow, "E1")["title"] == "A"


def test_a_patch_that_loses_a_race_is_applied_again_over_the_winner(uow):
    create(uow)
    stored = uow.people.get("E1")
    uow.people.before_write = once(lambda: uow.people.update(
        "E1", 1, {"version": 2, "skills": [{"name": "go", "level": 2}]}, []))
    saved = provisioning.patch_user(uow, "E1", patch({"op": "replace", "path": "title", "value": "Lead"}),
                                    validate_profile)
    assert (saved.profile["version"], saved.profile["title"], saved.profile["skills"]) == (
        3, "Lead", [{"name": "go", "level": 2}])
    assert stored["version"] == 1


def test_a_patch_losing_every_race_is_a_conflict_not_a_lost_update(uow):
    create(uow)

    def someone_else_writes():
        current = uow.people.docs["E1"]["version"]
        uow.people.docs["E1"]["version"] = current + 1

    uow.people.before_write = someone_else_writes
    with pytest.raises(Conflict):
        provisioning.patch_user(uow, "E1", patch({"op": "replace", "path": "title", "value": "Lead"}),
                                validate_profile)


def test_delete_is_erasure_and_a_rehire_continues_the_versions(uow):
    create(uow)
    provisioning.delete_user(uow, "E1")
    assert uow.people.events_of("E1") == [DELETED] and uow.people.docs["E1"]["erased"]
    with pytest.raises(NotFound):
        provisioning.find_user(uow, "E1")
    assert provisioning.search_users(uow, 'userName eq "yara@example.com"', None, None)[0] == 0
    again = create(uow)  # the userName is free again, and the same employeeNumber is the same person
    assert (again.outcome, again.profile["version"]) == ("created", 3)


def test_lookups_and_pages_show_provisioned_people_only(uow):
    for i in range(5):
        create(uow, user(f"p{i}@example.com", enterprise={"employeeNumber": f"E{i}"}))
    people.put_profile(uow, "H1", body())  # created by HR: not a User
    total, start, page = provisioning.search_users(uow, None, 2, 2)
    assert (total, start, [p["employee_id"] for p in page]) == (5, 2, ["E1", "E2"])
    found = provisioning.search_users(uow, 'userName eq "P3@EXAMPLE.COM"', None, None)
    assert found[0] == 1 and found[2][0]["employee_id"] == "E3"
