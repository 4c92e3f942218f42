"""CSV columns -> profile fields: lists, skills, blanks, numbers and header checks."""

import pytest

from tandem_cli import csvmap

HEADER = ["employee_id", "name", "email", "department", "grade", "roles"]


def row(**cells):
    base = {"employee_id": "E1", "name": "Yara Haddad", "email": "yara@example.com", "department": "Eng",
            "grade": "6", "roles": "mentee"}
    return {**base, **cells}


def test_a_full_row_becomes_the_api_profile():
    profile = csvmap.to_profile(row(languages="EN; de", skills="python:4;sql:3", interests="chess;  ;hiking",
                                    roles="Mentor;mentee", years_experience="7.5", mentor_capacity="2",
                                    availability_hours_per_month="4", manager_id="M1", timezone="Europe/Berlin"))
    assert profile == {"employee_id": "E1", "name": "Yara Haddad", "email": "yara@example.com", "department": "Eng",
                       "grade": 6, "roles": ["mentor", "mentee"], "languages": ["en", "de"],
                       "skills": [{"name": "python", "level": 4}, {"name": "sql", "level": 3}],
                       "interests": ["chess", "hiking"], "years_experience": 7.5, "mentor_capacity": 2,
                       "availability_hours_per_month": 4.0, "manager_id": "M1", "timezone": "Europe/Berlin"}


def test_blank_cells_are_left_out_so_the_api_defaults_apply_but_blank_roles_mean_none():
    profile = csvmap.to_profile(row(title="  ", languages="", manager_id="", skills="", roles=" "))
    assert "title" not in profile and "languages" not in profile and "manager_id" not in profile
    assert "skills" not in profile and profile["roles"] == []


def test_cells_are_trimmed():
    assert csvmap.to_profile(row(name="  Yara  "))["name"] == "Yara"


@pytest.mark.parametrize("cell, expected", [("6", 6), ("6.0", 6), (" 12 ", 12)])
def test_spreadsheet_integers_are_accepted(cell, expected):
    assert csvmap.to_profile(row(grade=cell))["grade"] == expected


def test_skill_names_may_contain_colons_and_dots():
    assert csvmap.parse_skills("c++:3; node.js:2;ns:a:b:1") == [
        {"name": "c++", "level": 3}, {"name": "node.js", "level": 2}, {"name": "ns:a:b", "level": 1}]


def test_every_bad_cell_of_a_row_is_reported_at_once():
    with pytest.raises(csvmap.RowError) as caught:
        csvmap.to_profile(row(grade="six", years_experience="nan", skills="python;sql:x", mentor_capacity="1.5"))
    errors = caught.value.errors
    assert set(errors) == {"grade", "years_experience", "skills", "mentor_capacity"}
    assert "'six' is not a whole number" in errors["grade"][0]
    assert "name:level" in errors["skills"][0]
    assert "'1.5' is not a whole number" in errors["mentor_capacity"][0]


def test_ranges_are_left_to_the_api_the_single_source_of_truth():
    assert csvmap.to_profile(row(grade="99", skills="go:9"))["grade"] == 99


def test_header_names_are_case_and_space_insensitive():
    assert csvmap.map_header([" Employee_ID", "NAME ", "email", "department", "grade", "roles"]) == HEADER


def test_unknown_columns_are_listed_with_the_known_ones():
    with pytest.raises(csvmap.HeaderError) as caught:
        csvmap.map_header([*HEADER, "favourite_colour", "shoe_size"])
    assert "unknown columns: favourite_colour, shoe_size" in str(caught.value)
    assert "known: employee_id, name" in str(caught.value)


@pytest.mark.parametrize("header, message", [
    (["employee_id", "name", "email"], "missing required columns: department, grade, roles"),
    ([*HEADER, "name"], "repeated columns: name"),
    ([*HEADER, ""], "blank column name at position 7"),
])
def test_bad_headers_say_what_is_wrong(header, message):
    with pytest.raises(csvmap.HeaderError, match=message):
        csvmap.map_header(header)
