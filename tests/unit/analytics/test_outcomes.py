"""Promotion and attrition rates of participants against their departments' other people."""

from __future__ import annotations

from services.analytics.domain.outcomes import outcomes
from tests.unit.analytics import builders as b
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, P


def test_outcomes_of_the_scenario():
    found = outcomes(Projected().apply(scenario.events()).facts(P), 5, AS_OF)
    assert found["window"] == {"from": "2025-03-01T00:00:00.000000Z", "to": "2025-04-14T09:00:00.000000Z"}
    assert found["departments"] == ["Engineering", "Finance"]
    # A promoted, F left (a withdrawal does not undo having taken part); B's promotion was before the window
    assert found["participants"] == {"people": 9, "promoted": 1, "promotion_rate": 0.1111, "left": 1,
                                     "attrition_rate": 0.1111, "suppressed": False}
    # N1, N2 promoted and N3 left; N4 had left before, N5 joined after, S9 is in Sales
    assert found["non_participants"] == {"people": 6, "promoted": 2, "promotion_rate": 0.3333, "left": 1,
                                         "attrition_rate": 0.1667, "suppressed": False}


def test_a_small_group_shows_its_size_but_no_rates():
    found = outcomes(Projected().apply(scenario.events()).facts(P), 7, AS_OF)
    assert found["non_participants"] == {"people": 6, "promoted": None, "promotion_rate": None, "left": None,
                                         "attrition_rate": None, "suppressed": True}
    assert found["participants"]["suppressed"] is False


def test_a_grade_raise_after_the_program_ended_does_not_count():
    events = scenario.events() + [b.program("Short", "2025-03-01", "2025-03-20")]
    events += [b.enrollment("Short", m, "mentee", b.at(0)) for m in "ABCDE"]
    found = outcomes(Projected().apply(events).facts("Short"), 5, AS_OF)
    assert found["window"]["to"] == "2025-03-21T00:00:00.000000Z"
    assert (found["participants"]["people"], found["participants"]["promoted"]) == (5, 0)  # A's raise: day 20
