"""Goals and erasure on in-memory ports: events, privacy, and what an erasure leaves."""

import datetime

import pytest

from services.profiles.use_cases import erasure, goals, people
from shared.errors import Conflict, Forbidden, NotFound
from tests.unit.profiles.conftest import HR, body, who

ME = who("employee", employee_id="E1")


def test_a_goal_progresses_to_completion_with_an_event_each_step(uow):
    people.put_profile(uow, "E1", body())
    goal = goals.set_goal(uow, ME, "E1", {"title": "Lead a team", "target_skills": ["People Management"],
                                          "due_on": datetime.date(2027, 6, 30)})
    assert (goal["status"], goal["target_skills"], goal["due_on"]) == ("active", ["people management"], "2027-06-30")
    assert goals.progress_goal(uow, ME, goal["goal_id"], 60, None)["status"] == "active"
    assert goals.progress_goal(uow, ME, goal["goal_id"], 100, None)["status"] == "completed"
    with pytest.raises(Conflict):
        goals.progress_goal(uow, ME, goal["goal_id"], 10, None)
    published = [e.type for e in uow.goals.outbox[goal["goal_id"]]]
    assert published == ["mentoring.goal.created", "mentoring.goal.progressed", "mentoring.goal.completed"]
    assert all("Lead a team" not in str(e.data) for e in uow.goals.outbox[goal["goal_id"]])


def test_goals_are_set_by_their_owner_or_hr_for_living_people_only(uow):
    people.put_profile(uow, "E1", body())
    with pytest.raises(Forbidden):
        goals.set_goal(uow, who("employee", employee_id="E2"), "E1", {"title": "Grow"})
    with pytest.raises(NotFound):
        goals.set_goal(uow, HR, "nobody", {"title": "Grow"})


def test_managers_follow_progress_without_the_text(uow):
    people.put_profile(uow, "M1", body())
    people.put_profile(uow, "E1", body(manager_id="M1"))
    goals.set_goal(uow, ME, "E1", {"title": "Lead a team", "description": "secret plan"})
    seen = goals.goals_of(uow, who("manager", employee_id="M1"), "E1", limit=10, cursor=None)["items"]
    assert seen[0]["progress"] == 0 and "title" not in seen[0] and "description" not in seen[0]
    assert goals.goals_of(uow, ME, "E1", limit=10, cursor=None)["items"][0]["description"] == "secret plan"
    with pytest.raises(Forbidden):
        goals.goals_of(uow, who("manager", employee_id="X9"), "E1", limit=10, cursor=None)


def test_erasure_leaves_a_tombstone_whose_only_pending_event_is_the_erasure(uow):
    people.put_profile(uow, "E1", body())
    people.put_profile(uow, "E1", body(grade=7))
    goals.set_goal(uow, HR, "E1", {"title": "Grow", "description": "private"})
    erasure.erase_person(uow, "E1")
    assert uow.people.docs["E1"] == {"_id": "E1", "employee_id": "E1", "erased": True, "version": 3,
                                     "erased_at": uow.people.docs["E1"]["erased_at"]}
    assert uow.people.events_of("E1") == ["mentoring.profile.deleted"]
    assert uow.goals.docs == {}
    with pytest.raises(NotFound):
        erasure.erase_person(uow, "E1")


def test_a_rehire_after_erasure_continues_the_versions(uow):
    people.put_profile(uow, "E1", body())
    erasure.erase_person(uow, "E1")
    rehired = people.put_profile(uow, "E1", body(grade=9))
    assert (rehired.outcome, rehired.profile["version"]) == ("created", 3)
    assert "erased" not in people.get_profile(uow, "E1")
    assert uow.people.events_of("E1") == ["mentoring.profile.deleted", "mentoring.profile.created"]


def test_erasing_again_removes_goals_an_interrupted_erasure_left_behind(uow):
    people.put_profile(uow, "E1", body())
    goal = goals.set_goal(uow, HR, "E1", {"title": "Grow", "description": "private"})
    uow.goals.delete_of = lambda employee_id: 0  # the process died between the two writes
    erasure.erase_person(uow, "E1")
    del uow.goals.delete_of
    assert goal["goal_id"] in uow.goals.docs
    with pytest.raises(NotFound):
        erasure.erase_person(uow, "E1")
    assert uow.goals.docs == {}
