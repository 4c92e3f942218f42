"""CSV columns -> profile fields for `tandem import` (pure: no files, no HTTP).

Column mapping (header names are case-insensitive; every column but employee_id and the
required ones may be left out; a blank cell means "not given", so the API default applies):

  employee_id                   text, required: the id HR systems use
  name, email, department       text, required
  grade                         integer 1-15, required
  roles                         ";"-separated: mentor;mentee (required column; a blank cell = neither)
  title, location, bio          text
  timezone                      IANA name, e.g. Europe/Berlin (default UTC)
  languages                     ";"-separated ISO 639-1 codes, e.g. en;de (default en)
  manager_id                    the manager's employee_id
  years_experience              number
  skills                        ";"-separated name:level, level 1-5, e.g. python:4;sql:3
  interests                     ";"-separated text
  mentor_capacity               integer >= 0 (default 1 for mentors, 0 otherwise)
  availability_hours_per_month  number
  employment_status             active | leave | terminated (default active)

This module converts types and splits lists; ranges and vocabularies are checked by the
profiles service, so there is one source of truth for what a valid profile is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

KEY = "employee_id"
TEXT = ("name", "email", "title", "department", "location", "timezone", "manager_id", "employment_status", "bio")
INTEGERS = ("grade", "mentor_capacity")
NUMBERS = ("years_experience", "availability_hours_per_month")
LISTS = ("languages", "interests", "roles")
LOWER_CASE_LISTS = ("languages", "roles")  # codes, not prose: "EN" and "Mentor" mean en and mentor
COLUMNS = (KEY, "name", "email", "title", "department", "location", "timezone", "languages", "manager_id",
           "grade", "years_experience", "skills", "interests", "roles", "mentor_capacity",
           "availability_hours_per_month", "employment_status", "bio")
REQUIRED = (KEY, "name", "email", "department", "grade", "roles")
SEPARATOR = ";"


class HeaderError(ValueError):
    """The header row cannot be mapped; the message lists what is wrong."""


class RowError(ValueError):
    """A row whose cells cannot be converted; `errors` maps field -> messages, like the API's."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def map_header(header: Sequence[str]) -> list[str]:
    """Normalised column names; raises HeaderError for blank, repeated, unknown or missing columns."""
    names = [str(cell).strip().lower() for cell in header]
    problems = []
    if any(not name for name in names):
        problems.append(f"blank column name at position {names.index('') + 1}")
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(f"repeated columns: {', '.join(repeated)}")
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)} (known: {', '.join(COLUMNS)})")
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        problems.append(f"missing required columns: {', '.join(missing)}")
    if problems:
        raise HeaderError("; ".join(problems))
    return names


def to_profile(cells: Mapping[str, str]) -> dict[str, Any]:
    """One CSV row (column -> cell) as an import row for the API; raises RowError with every bad cell."""
    profile: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for column, raw in cells.items():
        value = (raw or "").strip()
        if not value:
            if column == "roles":
                profile["roles"] = []
            continue
        try:
            profile[column] = convert(column, value)
        except ValueError as exc:
            errors.setdefault(column, []).append(str(exc))
    if errors:
        raise RowError(errors)
    return profile


def convert(column: str, value: str) -> Any:
    """A non-blank cell as the field's JSON value; ValueError says what is wrong with it."""
    if column == "skills":
        return parse_skills(value)
    if column in LISTS:
        items = split_list(value)
        return [item.lower() for item in items] if column in LOWER_CASE_LISTS else items
    if column in INTEGERS:
        return parse_integer(value)
    if column in NUMBERS:
        return parse_number(value)
    return value


def split_list(value: str) -> list[str]:
    """'a; b;;c' -> ['a', 'b', 'c']."""
    return [item.strip() for item in value.split(SEPARATOR) if item.strip()]


def parse_integer(value: str) -> int:
    """'6' and '6.0' (spreadsheets write both) -> 6."""
    try:
        return int(value)
    except ValueError:
        pass
    number = parse_number(value, what="a whole number")
    if not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def parse_number(value: str, what: str = "a number") -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not {what}") from None
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not {what}")
    return number


def parse_skills(value: str) -> list[dict[str, Any]]:
    """'python:4;sql:3' -> [{'name': 'python', 'level': 4}, {'name': 'sql', 'level': 3}]."""
    skills = []
    for item in split_list(value):
        name, colon, level = item.rpartition(":")
        if not colon or not name.strip():
            raise ValueError(f"{item!r} is not name:level (e.g. python:4)")
        try:
            skills.append({"name": name.strip(), "level": int(level.strip())})
        except ValueError:
            raise ValueError(f"{item!r}: level {level.strip()!r} is not a whole number 1-5") from None
    return skills
