"""Breakdowns never show a group small enough to single someone out."""

from __future__ import annotations

from services.analytics.domain.groups import breakdown, suppress_small_groups
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, P


def people(n: int, tag: str) -> set[str]:
    return {f"{tag}{i}" for i in range(n)}


def sizes(groups: dict[str, set[str]]) -> dict[str, int]:
    return {name: len(members) for name, members in groups.items()}


def test_groups_below_the_minimum_are_merged_into_other():
    groups = {"Eng": people(7, "e"), "Fin": people(5, "f"), "Legal": people(3, "l"), "Ops": people(2, "o")}
    assert sizes(suppress_small_groups(groups, 5)) == {"Eng": 7, "Fin": 5, "other": 5}


def test_a_small_other_absorbs_the_smallest_named_group_until_it_is_big_enough():
    groups = {"Eng": people(9, "e"), "Fin": people(6, "f"), "Legal": people(2, "l")}
    assert sizes(suppress_small_groups(groups, 5)) == {"Eng": 9, "other": 8}


def test_a_program_smaller_than_the_minimum_shows_no_group_at_all():
    assert suppress_small_groups({"Eng": people(3, "e"), "Fin": people(1, "f")}, 5) == {}


def test_every_shown_group_has_at_least_the_minimum_and_nobody_is_lost():
    for sizes_in in ([1, 1, 1, 1, 1, 1], [4, 4, 4], [5, 1], [12, 4, 4, 1], [5, 5, 5]):
        groups = {f"g{i}": people(n, f"g{i}-") for i, n in enumerate(sizes_in)}
        shown = suppress_small_groups(groups, 5)
        assert all(len(m) >= 5 for m in shown.values())
        assert sum(map(len, shown.values())) in (0, sum(sizes_in))


def test_department_breakdown_of_the_scenario():
    facts = Projected().apply(scenario.events()).facts(P)
    items = {i["group"]: i for i in breakdown(facts, "department", 2, AS_OF)}
    assert set(items) == {"Engineering", "Finance"}
    eng, fin = items["Engineering"], items["Finance"]
    assert (eng["people"], eng["enrolled_mentees"], eng["enrolled_mentors"], eng["matched_mentees"]) == (6, 4, 2, 2)
    assert (eng["median_hours_to_match"], eng["active_mentorships"], eng["ended_mentorships"]) == (72.0, 1, 1)
    assert (eng["sessions_completed"], eng["goals_total"], eng["goals_completed"]) == (3, 2, 1)
    assert (eng["average_feedback_rating"], eng["feedback_count"], eng["mentor_utilization"]) == (4.0, 3, 0.4)
    assert (fin["people"], fin["match_rate"], fin["sessions_completed"], fin["mentor_utilization"]) == (2, 1.0, 1, 1.0)
    assert (fin["goals_total"], fin["goal_completion_rate"], fin["average_feedback_rating"]) == (1, 0.0, 4.0)


def test_with_the_default_minimum_the_scenario_shows_only_other():
    facts = Projected().apply(scenario.events()).facts(P)
    assert [(i["group"], i["people"]) for i in breakdown(facts, "department", 5, AS_OF)] == [("other", 8)]
    by_grade = breakdown(facts, "grade", 2, AS_OF)  # grades 6: A, B; 5: C, D; 8: M1, M3; 4: E and 10: M2
    assert [(i["group"], i["people"]) for i in by_grade] == [("5", 2), ("6", 2), ("8", 2), ("other", 2)]
