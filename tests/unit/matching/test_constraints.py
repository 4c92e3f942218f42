"""Hard constraints filter pairs out; they never just lower a score."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matching.domain.assignment import solve_cohort
from services.matching.domain.candidates import ProgramRules
from services.matching.domain.constraints import pair_violations
from services.matching.domain.scoring import ScoringModel, suggest

RULES = ProgramRules(weights={})


def eligible(mentee, mentors, rules=RULES, at=None) -> list[bool]:
    return ScoringModel(mentors, rules, at=at).score_block([mentee])[1][0].tolist()


def test_nobody_mentors_themselves(person):
    both = person("sam")
    assert eligible(both, [both, person("kim")]) == [False, True]
    assert pair_violations(both, both, RULES) == ["same_person"]


def test_roles_and_employment_status_are_required(person):
    mentee = person("eve", roles=("mentee",))
    mentors = [person("a", roles=("mentee",)), person("b", status="leave"), person("c", status="terminated"),
               person("d", roles=("mentor",))]
    assert eligible(mentee, mentors) == [False, False, False, True]
    assert eligible(person("eve", roles=("mentor",)), mentors) == [False] * 4
    assert eligible(person("eve", status="leave"), mentors) == [False] * 4
    assert pair_violations(mentee, mentors[1], RULES) == ["not_active"]


def test_no_one_in_the_other_s_management_chain_at_any_depth(person):
    mentee = person("eve", chain=("lead", "director", "vp"))
    mentors = [person("lead"), person("vp"), person("report", chain=("x", "eve")), person("peer", chain=("lead",))]
    assert eligible(mentee, mentors) == [False, False, False, True]
    assert eligible(mentee, mentors, ProgramRules(weights={}, exclude_reporting_line=False)) == [True] * 4
    assert pair_violations(mentee, mentors[2], RULES) == ["reporting_line"]


def test_a_pair_declined_in_the_program_is_never_proposed_again(person):
    mentee = person("eve", declined=("ann",))
    mentors = [person("ann"), person("bob")]
    assert eligible(mentee, mentors) == [False, True]
    result = solve_cohort(ScoringModel(mentors, RULES), [mentee], np.array([1, 0]))
    assert result.assignments == [] and [u.reason for u in result.unmatched] == ["no_eligible_mentor"]


def test_grade_gap_limit(person):
    mentee = person("eve", grade=5)
    mentors = [person("a", grade=8), person("b", grade=9), person("c", grade=1), person("d", grade=2)]
    assert eligible(mentee, mentors, ProgramRules(weights={}, max_grade_gap=3)) == [True, False, False, True]
    assert eligible(mentee, mentors, ProgramRules(weights={}, max_grade_gap=None)) == [True] * 4


def test_shared_language_when_required(person):
    mentee = person("eve", languages=("de", "fr"))
    mentors = [person("a", languages=("en",)), person("b", languages=("fr", "en")), person("c", languages=("pt",))]
    assert eligible(mentee, mentors, ProgramRules(weights={}, require_shared_language=True)) == [False, True, False]
    assert eligible(mentee, mentors) == [True] * 3


def test_a_mentor_without_capacity_is_never_suggested_or_assigned(person):
    mentee, mentors = person("eve"), [person("a", skills={"x": 5}), person("b")]
    model = ScoringModel(mentors, RULES)
    assert [s.mentor_id for s in suggest(model, mentee, np.array([0, 1]), 5)] == ["b"]
    result = solve_cohort(model, [mentee, person("fay")], np.array([0, 1]))
    assert [a.mentor_id for a in result.assignments] == ["b"]


@settings(max_examples=50, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_block_filter_agrees_with_the_pair_check(program, winter, seed):
    mentees, mentors, _, rules = program(seed)
    _, allowed = ScoringModel(mentors, rules, at=winter).score_block(mentees)
    expected = [[not pair_violations(e, m, rules) for m in mentors] for e in mentees]
    assert allowed.tolist() == expected


@pytest.mark.parametrize("gap", [0, 2])
def test_filters_hold_in_cohort_runs(program, winter, gap):
    mentees, mentors, capacity, rules = program(11, 30, 8)
    rules = ProgramRules(weights=rules.weights, max_grade_gap=gap, require_shared_language=True)
    result = solve_cohort(ScoringModel(mentors, rules, at=winter), mentees, capacity)
    by_id = {p.employee_id: p for p in [*mentees, *mentors]}
    assert all(not pair_violations(by_id[a.mentee_id], by_id[a.mentor_id], rules) for a in result.assignments)
