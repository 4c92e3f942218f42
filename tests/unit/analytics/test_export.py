"""The HR export: one row per person and role, counts only, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from services.analytics.domain.export import COLUMNS, rows, safe_cell, to_csv
from tests.unit.analytics import builders as b
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, P


def exported(events) -> list[dict]:
    return list(csv.DictReader(io.StringIO(to_csv(rows(Projected().apply(events).facts(P), AS_OF)))))


def test_one_row_per_enrollment_with_the_persons_counts():
    found = {(r["employee_id"], r["role"]): r for r in exported(scenario.events())}
    assert len(found) == 9 and list(next(iter(found.values()))) == list(COLUMNS)
    a = found[("A", "mentee")]
    assert (a["name"], a["department"], a["matched"], a["hours_to_match"]) == ("Name A", "Engineering", "yes", "48.0")
    assert (a["active_mentorships"], a["sessions_completed"], a["goals_total"], a["goals_completed"]) == \
        ("1", "2", "1", "1")
    m1 = found[("M1", "mentor")]
    assert (m1["active_mentorships"], m1["ended_mentorships"], m1["sessions_completed"], m1["matched"]) == \
        ("1", "1", "3", "")
    assert found[("F", "mentee")]["status"] == "withdrawn"


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised():
    events = scenario.events() + [b.profile("A", 3, name="=HYPERLINK(\"http://x\")", when=b.at(21), grade=6)]
    names = [r["name"] for r in exported(events)]
    assert "'=HYPERLINK(\"http://x\")" in names and not any(n.startswith("=") for n in names)


@pytest.mark.parametrize("text", [
    "=1+1", " =1+1", "\n=1+1", "\r=1+1", "\t@SUM(A1)", "-2+3", "+1", "@SUM(A1)",
    "\u3000=1+1",  # ideographic (full-width) space
    "\u00a0=1+1",  # no-break space
    "\u200b=1+1",  # zero-width space, a format character a spreadsheet does not show
    "\ufeff=1+1",  # byte order mark
    "\x0b=1+1", "\x1f+1",  # other control characters
    "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff201",  # full-width = + - @
])
def test_every_cell_a_spreadsheet_could_evaluate_starts_with_a_quote(text):
    assert safe_cell(text) == "'" + text


def test_plain_text_and_numbers_are_left_as_they_are():
    assert [safe_cell(v) for v in ("Ada Lovelace", "Eng-1", 5, 48.0, -2, None)] == \
        ["Ada Lovelace", "Eng-1", 5, 48.0, -2, ""]


def test_text_cells_are_quoted_so_another_locales_separator_cannot_start_a_new_cell():
    events = scenario.events() + [b.profile("A", 3, name="Ada;=1+1", when=b.at(21), grade=6),
                                  b.profile("B", 3, name="Bo\t+1", when=b.at(21), grade=6)]
    text = to_csv(rows(Projected().apply(events).facts(P), AS_OF))
    assert '"Ada;=1+1"' in text and '"Bo\t+1"' in text  # one cell each, in any locale
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    a = next(r for r in csv.DictReader(io.StringIO(text)) if r["employee_id"] == "A")
    assert (a["name"], a["sessions_completed"], a["hours_to_match"]) == ("Ada;=1+1", "2", "48.0")


def test_no_private_text_or_ratings_are_exported():
    text = to_csv(rows(Projected().apply(scenario.events()).facts(P), AS_OF))
    assert "rating" not in text and "@example.com" not in text
