"""The HR export: one row per person and role, counts only, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from services.analytics.domain.export import COLUMNS, rows, to_csv
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


def test_no_private_text_or_ratings_are_exported():
    text = to_csv(rows(Projected().apply(scenario.events()).facts(P), AS_OF))
    assert "rating" not in text and "@example.com" not in text
