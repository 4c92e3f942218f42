"""KPI formulas on a hand-built program, including duplicates and out-of-order delivery."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.analytics.domain.kpis import summary
from services.analytics.domain.pseudonyms import new_key
from services.analytics.domain.report import build_report
from tests.unit.analytics import builders as b
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, EXPECTED_SUMMARY, P

EVENTS = scenario.events()


def figures(events, program_id: str = P) -> dict:
    return summary(Projected().apply(events).facts(program_id), AS_OF)


def test_summary_matches_the_hand_computed_figures():
    assert figures(EVENTS) == EXPECTED_SUMMARY


def test_every_event_processed_twice_changes_no_figure():
    doubled = [e for event in EVENTS for e in (event, event)]
    assert figures(doubled) == EXPECTED_SUMMARY


def test_replaying_all_topics_from_the_start_changes_no_figure():
    projected = Projected().apply(EVENTS)
    first = build_report(projected.facts(P), 5, AS_OF)
    projected.apply(EVENTS)
    assert build_report(projected.facts(P), 5, AS_OF) == first


def test_completed_session_and_feedback_before_their_mentorship_and_program_are_known():
    late_first = scenario.sessions() + scenario.feedback() + scenario.goals() + scenario.mentorships()
    assert figures(late_first + scenario.people() + scenario.program()) == EXPECTED_SUMMARY


def test_any_order_within_an_aggregate_gives_the_same_figures():
    shuffled = list(EVENTS)
    random.Random(7).shuffle(shuffled)
    assert figures(reversed(EVENTS)) == EXPECTED_SUMMARY
    assert figures(shuffled) == EXPECTED_SUMMARY


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(EVENTS))
def test_whole_report_is_independent_of_delivery_order(events):
    assert build_report(Projected(KEY).apply(events).facts(P), 5, AS_OF) == REPORT


KEY = new_key()  # one pseudonym key for both sides: the pairs at risk name people by their pseudonym
REPORT = build_report(Projected(KEY).apply(EVENTS).facts(P), 5, AS_OF)


def test_a_withdrawn_mentee_leaves_the_figures_and_a_reenrolled_one_returns():
    again = EVENTS + [b.enrollment(P, "F", "mentee", b.at(8))]
    assert figures(again)["enrolled_mentees"] == 6
    assert figures(again)["match_rate"] == 0.5


def test_an_empty_program_has_no_rates_rather_than_zero_divisions():
    found = figures([b.program("Q"), b.enrollment("Q", "M1", "mentor")], "Q")
    assert found == {**found, "enrolled_mentees": 0, "enrolled_mentors": 1, "match_rate": None,
                     "median_hours_to_match": None,
                     "sessions_per_active_mentorship_per_month": None, "goal_completion_rate": None,
                     "average_feedback_rating": None, "mentor_utilization": None}
