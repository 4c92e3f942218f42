"""The people use cases on in-memory ports: versions, events, If-Match, races, access."""

import pytest

from services.profiles.use_cases import people
from services.profiles.use_cases.ports import ProfileFilter
from shared.errors import Conflict, Forbidden, NotFound, PreconditionFailed
from tests.unit.profiles.conftest import HR, body, who
from tests.unit.profiles.fakes import once


def test_put_creates_then_replaces_with_a_version_and_an_event_each(uow):
    created = people.put_profile(uow, "E1", body())
    replaced = people.put_profile(uow, "E1", body(grade=7))
    assert (created.outcome, created.profile["version"]) == ("created", 1)
    assert (replaced.outcome, replaced.profile["version"], replaced.profile["grade"]) == ("updated", 2, 7)
    assert replaced.profile["created_at"] == created.profile["created_at"]
    assert uow.people.events_of("E1") == ["mentoring.profile.created", "mentoring.profile.updated"]


def test_an_unchanged_resend_writes_nothing(uow):
    people.put_profile(uow, "E1", body())
    again = people.put_profile(uow, "E1", body())
    assert (again.outcome, again.profile["version"]) == ("unchanged", 1)
    assert uow.people.events_of("E1") == ["mentoring.profile.created"]


def test_if_match_of_another_version_is_refused_and_writes_nothing(uow):
    people.put_profile(uow, "E1", body())
    people.put_profile(uow, "E1", body(grade=8))
    with pytest.raises(PreconditionFailed):
        people.put_profile(uow, "E1", body(grade=9), if_match=frozenset({1}))
    assert people.get_profile(uow, "E1")["grade"] == 8


def test_a_put_that_loses_a_race_is_retried_over_the_winner(uow):
    people.put_profile(uow, "E1", body())
    uow.people.before_write = once(lambda: uow.people.update("E1", 1, {"version": 2, "grade": 3}, []))
    saved = people.put_profile(uow, "E1", body(grade=9))
    assert (saved.profile["version"], people.get_profile(uow, "E1")["grade"]) == (3, 9)


def test_a_put_with_if_match_that_loses_a_race_is_a_precondition_failure(uow):
    people.put_profile(uow, "E1", body())
    uow.people.before_write = once(lambda: uow.people.update("E1", 1, {"version": 2, "grade": 3}, []))
    with pytest.raises(PreconditionFailed):
        people.put_profile(uow, "E1", body(grade=9), if_match=frozenset({1}))


def test_a_profile_that_keeps_changing_is_a_conflict(uow):
    people.put_profile(uow, "E1", body())
    uow.people.before_write = lambda: _bump(uow, "E1")
    with pytest.raises(Conflict):
        people.put_profile(uow, "E1", body(grade=9))


def test_patch_is_for_the_person_or_hr_and_keeps_hr_fields(uow):
    people.put_profile(uow, "E1", body(title="Engineer"))
    patched = people.patch_profile(uow, who("employee", employee_id="E1"), "E1", {"bio": "hi"})
    assert (patched["bio"], patched["title"], patched["version"]) == ("hi", "Engineer", 2)
    with pytest.raises(Forbidden):
        people.patch_profile(uow, who("employee", employee_id="E2"), "E1", {"bio": "x"})
    with pytest.raises(NotFound):
        people.patch_profile(uow, HR, "nobody", {"bio": "x"})


def test_managers_read_their_reports_up_the_chain_and_no_one_else(uow):
    people.put_profile(uow, "CEO", body())
    people.put_profile(uow, "M1", body(manager_id="CEO"))
    people.put_profile(uow, "E1", body(manager_id="M1"))
    people.put_profile(uow, "X1", body())
    assert people.read_profile(uow, who("manager", employee_id="CEO"), "E1")["employee_id"] == "E1"
    with pytest.raises(Forbidden):
        people.read_profile(uow, who("manager", employee_id="M1"), "X1")
    with pytest.raises(Forbidden):
        people.read_profile(uow, who("employee", employee_id="M1"), "E1")


def test_hr_reads_without_walking_the_management_chain(uow):
    people.put_profile(uow, "E1", body(manager_id="M1"))
    walked = []
    uow.people.manager_of = lambda employee_id: walked.append(employee_id)
    people.read_profile(uow, HR, "E1")
    people.read_profile(uow, who("employee", employee_id="E1"), "E1")
    assert walked == []


def test_lists_filter_and_managers_list_their_reports_only(uow):
    for employee_id, manager in (("M1", None), ("E1", "M1"), ("E2", "E1"), ("X1", None)):
        people.put_profile(uow, employee_id, body(manager_id=manager))
    listed = people.list_profiles(uow, who("manager", employee_id="M1"), ProfileFilter(), limit=10, cursor=None)
    assert [p["employee_id"] for p in listed["items"]] == ["E1", "E2"]
    everyone = people.list_profiles(uow, HR, ProfileFilter(manager_id="M1"), limit=10, cursor=None)
    assert [p["employee_id"] for p in everyone["items"]] == ["E1"]
    with pytest.raises(Forbidden):
        people.list_profiles(uow, who("employee", employee_id="E1"), ProfileFilter(), limit=10, cursor=None)


def _bump(uow, employee_id: str) -> None:
    stored = uow.people.docs[employee_id]
    stored["version"] += 1

