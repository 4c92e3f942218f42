"""Text that reaches mail headers, logs and other systems: one line where one line is meant, whole-value ids."""

import pytest

from services.profiles.entrypoints.schemas import GoalIn, ImportRow, ProfileIn, ProfilePatch

BASE = {"name": "Yara Haddad", "email": "yara@example.com", "department": "Engineering", "grade": 6,
        "roles": ["mentee"]}


@pytest.mark.parametrize("field, value", [
    ("name", "Mal\r\nReply-To: attacker@example.com"),
    ("name", "Yara\u2028Haddad"),
    ("email", "bad@example.com\n"),
    ("title", "Lead\x00"),
    ("department", "Eng\tineering"),
    ("location", "Berlin\n"),
    ("timezone", "Europe/Berlin\n"),
    ("manager_id", "M1\n"),
    ("skills", [{"name": "python\r\n", "level": 3}]),
    ("interests", ["chess\x1b[31m"]),
    ("bio", "fine\nbut not \x07 this"),
])
def test_control_characters_are_refused_field_by_field(field, value):
    assert field in ProfileIn().validate({**BASE, field: value})


def test_a_bio_may_break_lines():
    assert ProfilePatch().validate({"bio": "Line one\n\tLine two"}) == {}


def test_ids_match_the_whole_value():
    assert "employee_id" in ImportRow().validate({**BASE, "employee_id": "a\n"})
    assert ImportRow().validate({**BASE, "employee_id": "a.b_c:d-1"}) == {}


def test_goal_titles_are_one_line():
    assert "title" in GoalIn().validate({"title": "Grow\r\nBcc: x"})
    assert "milestones" in GoalIn().validate({"title": "Grow", "milestones": [{"title": "a\nb"}]})
    assert "target_skills" in GoalIn().validate({"title": "Grow", "target_skills": ["go\n"]})
