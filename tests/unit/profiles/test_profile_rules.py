"""Profile defaults, self-service boundaries and goal progress rules."""

import pytest

from services.profiles.domain import goals, profiles
from services.profiles.entrypoints.schemas import ImportRow, ProfileIn, ProfilePatch
from shared.errors import Conflict
from shared.events import catalog as ev

BASE = {"name": "Yara Haddad", "email": "yara@example.com", "department": "Engineering", "grade": 6,
        "roles": ["mentee"]}


def test_defaults_follow_the_contract():
    mentor = profiles.with_defaults({**BASE, "roles": ["mentor"]})
    mentee = profiles.with_defaults(BASE)
    assert (mentor["mentor_capacity"], mentee["mentor_capacity"]) == (1, 0)
    assert mentee["timezone"] == "UTC" and mentee["languages"] == ["en"] and mentee["employment_status"] == "active"


def test_skills_are_normalised_and_deduplicated_keeping_the_highest_level():
    skills = [{"name": "Python", "level": 2}, {"name": "python ", "level": 4}]
    profile = profiles.with_defaults({**BASE, "skills": skills})
    assert profile["skills"] == [{"name": "python", "level": 4}]


def test_the_bio_never_goes_on_the_bus():
    data = profiles.event_data({**profiles.with_defaults({**BASE, "bio": "private story"}), "employee_id": "E1"})
    assert "bio" not in data


@pytest.mark.parametrize("field, value, message", [
    ("email", "not-an-email", "email"),
    ("grade", 16, "grade"),
    ("timezone", "Mars/Olympus", "IANA"),
    ("languages", ["english"], "639-1"),
    ("skills", [{"name": "go", "level": 6}], "level"),
    ("name", "x" * 201, "name"),
    ("favourite_colour", "blue", "Unknown field"),
])
def test_hr_integrators_get_field_level_errors(field, value, message):
    errors = ProfileIn().validate({**BASE, field: value})
    assert field in errors and message.lower() in str(errors).lower() or message in str(errors)


def test_self_service_patch_rejects_hr_owned_fields():
    assert "grade" in ProfilePatch().validate({"grade": 9})
    assert ProfilePatch().validate({"bio": "hi", "skills": [{"name": "go", "level": 3}]}) == {}


def test_import_rows_need_an_employee_id():
    assert "employee_id" in ImportRow().validate(BASE)


GOAL = {"goal_id": "g1", "employee_id": "E1", "status": "active", "progress": 40, "version": 1}


def test_progress_below_100_is_progressed_and_100_completes():
    assert goals.progress_goal(GOAL, 60, None)[1] == ev.GOAL_PROGRESSED
    completed, event = goals.progress_goal(GOAL, 100, None)
    assert (completed["status"], event) == ("completed", ev.GOAL_COMPLETED)


def test_marking_completed_sets_progress_to_100():
    completed, event = goals.progress_goal(GOAL, None, "completed")
    assert (completed["progress"], event) == (100, ev.GOAL_COMPLETED)


def test_no_change_emits_nothing_and_completed_goals_are_final():
    assert goals.progress_goal(GOAL, 40, "active")[1] is None
    with pytest.raises(Conflict):
        goals.progress_goal({**GOAL, "status": "completed", "progress": 100}, 50, None)


def test_goal_events_carry_no_title_or_description():
    data = goals.goal_event_data({**GOAL, "title": "Become staff", "description": "secret plan",
                                   "updated_at": "2026-01-01T00:00:00Z"})
    assert "title" not in data and "description" not in data
