"""The profiles and goals streams on the fakes: newer versions win, leavers leave, erasure forgets."""

from __future__ import annotations

from datetime import UTC, datetime

from services.matching.use_cases import directory, feedback, sessions
from services.matching.use_cases.mentorships import act_on
from services.matching.use_cases.run_executor import RunExecutor
from services.matching.use_cases.runs import request_run
from shared.events import catalog as ev
from tests.unit.matching.use_cases.conftest import employee, person

GOAL = {"goal_id": "g-1", "employee_id": "cy", "target_skills": ["sql"], "status": "active", "progress": 10,
        "version": 1, "updated_at": "2025-01-02T00:00:00Z"}


def test_a_newer_profile_replaces_the_stored_one_and_a_replayed_older_one_changes_nothing(uow):
    directory.profile_changed(uow, person("ann", grade=4, version=2))
    directory.profile_changed(uow, person("ann", grade=9, version=1))
    assert (uow.people.get("ann")["grade"], uow.people.get("ann")["version"]) == (4, 2)


def test_a_terminated_person_leaves_every_program_and_their_pairs_end(org, uow, team):
    pair = org.pair(team, "ada", "cy")
    directory.profile_changed(uow, person("ada", roles=("mentor",), grade=9, version=2, status="terminated"))
    assert uow.mentorships.get(pair["mentorship_id"])["end_reason"] == "left_company"
    assert uow.enrollments.get(team, "ada")["withdraw_reason"] == "left_company"
    events_before = len(uow.published())
    directory.profile_changed(uow, person("ada", roles=("mentor",), grade=9, version=2, status="terminated"))
    assert len(uow.published()) == events_before  # a replay finds nothing left to do


def test_erasure_forgets_texts_and_goals_keeps_numbers_and_ends_the_pairs(org, uow, team):
    pair = org.pair(team, "ada", "cy")
    directory.goal_changed(uow, GOAL, True)
    planned = sessions.schedule(uow, employee("cy"), pair["mentorship_id"],
                                {"scheduled_at": datetime(2025, 3, 1, tzinfo=UTC), "duration_minutes": 30,
                                 "agenda": "Cy's plans"})
    sessions.complete(uow, employee("cy"), planned["session_id"], "Cy's notes", None)
    given = feedback.give_feedback(uow, employee("cy"), pair["mentorship_id"], {"rating": 4, "comment": "Cy says"})

    directory.profile_erased(uow, "cy", 2)

    assert uow.people.get("cy")["erased"] and "name" not in uow.people.get("cy")
    assert uow.people.goals_of(["cy"]) == {}
    session = uow.sessions.get(planned["session_id"])
    assert (session["agenda"], session["notes"], session["status"]) == (None, None, "completed")
    assert (uow.feedback.get(given["feedback_id"])["comment"], uow.feedback.get(given["feedback_id"])["rating"]) == (
        None, 4)
    assert uow.mentorships.get(pair["mentorship_id"])["end_reason"] == "erased"
    withdrawn = [e for e in uow.enrollments.published if e.type == ev.ENROLLMENT_WITHDRAWN.name]
    assert [e.data["reason"] for e in withdrawn] == ["erased"]


def test_an_erased_persons_goals_are_not_kept_even_when_replayed(uow):
    directory.profile_changed(uow, person("cy"))
    directory.profile_erased(uow, "cy", 2)
    directory.goal_changed(uow, GOAL, True)
    assert uow.people.goals_of(["cy"]) == {}


def test_progress_that_did_not_move_keeps_the_goals_last_progress_time(uow):
    directory.profile_changed(uow, person("cy"))
    directory.goal_changed(uow, GOAL, True)
    directory.goal_changed(uow, {**GOAL, "version": 2, "updated_at": "2025-03-01T00:00:00Z"}, False)
    [goal] = uow.people.goals_of(["cy"])["cy"]
    assert (goal["version"], goal["progressed_at"]) == (2, "2025-01-02T00:00:00Z")


def test_erasure_leaves_no_copy_of_the_mentees_name_in_pairs_runs_or_comments(org, uow, team):
    request_run(uow, team, "admin-1")
    RunExecutor(uow, "worker-1").tick()
    pair = uow.mentorships.open_of_mentees(team, ["cy"])[0]
    assert any("Cy" in r for r in pair["reasons"])
    mentor = employee(pair["mentor_id"])
    act_on(uow, mentor, pair["mentorship_id"], "accept")
    feedback.give_feedback(uow, mentor, pair["mentorship_id"], {"rating": 5, "comment": "Cy is great"})

    directory.profile_erased(uow, "cy", 2)

    [results] = uow.runs.results_of.values()
    stored = [*uow.mentorships.docs.values(), *uow.feedback.docs.values(), *results, *uow.sessions.docs.values()]
    assert not any("Cy" in str(doc) for doc in stored)
    assert any("the mentee" in r for r in uow.mentorships.get(pair["mentorship_id"])["reasons"])
