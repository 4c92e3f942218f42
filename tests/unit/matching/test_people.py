"""Stored people, goals and programs as the matching core's candidates and rules."""

from datetime import UTC, datetime

from services.matching.domain import people

STORED = {"_id": "e-1", "name": "Ada Byron", "department": "Engineering", "grade": 6, "languages": ["en", "fr"],
          "timezone": "Europe/Paris", "skills": [{"name": "Python", "level": 4}], "roles": ["mentee"],
          "mentor_capacity": 0, "manager_id": "m-1", "employment_status": "active", "version": 3}


def test_a_stored_person_becomes_a_candidate_with_their_active_goal_skills():
    goals = [{"status": "active", "target_skills": ["SQL", "python "]},
             {"status": "completed", "target_skills": ["go"]}]
    found = people.candidate(STORED, ("m-1", "ceo"), goals)
    assert (found.employee_id, found.grade, found.languages) == ("e-1", 6, ("en", "fr"))
    assert found.skills == {"python": 4}
    assert found.goal_skills == ("python", "sql")
    assert found.manager_chain == ("m-1", "ceo") and found.roles == ("mentee",)


def test_program_rules_default_to_excluding_the_reporting_line():
    rules = people.rules({"weights": {"skills": 2.0}, "constraints": {"max_grade_gap": 3}})
    assert rules.exclude_reporting_line and rules.max_grade_gap == 3 and not rules.require_shared_language
    assert rules.weights == {"skills": 2.0}


def test_scores_read_time_zones_at_one_fixed_instant_per_program():
    assert people.scoring_instant({"starts_on": "2025-03-30"}) == datetime(2025, 3, 30, 12, tzinfo=UTC)


def test_remaining_capacity_never_goes_below_zero():
    assert people.remaining_capacity({"mentor_capacity": 3}, 1) == 2
    assert people.remaining_capacity({"mentor_capacity": 1}, 2) == 0


def test_terminated_and_erased_people_are_gone_people_on_leave_are_not():
    assert people.is_gone({"employment_status": "terminated"})
    assert people.is_gone({"erased": True})
    assert not people.is_gone({"employment_status": "leave"})
    assert not people.is_gone(None)
