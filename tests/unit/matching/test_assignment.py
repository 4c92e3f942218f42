"""Cohort matching: most mentees placed, then the best total score among such placements, exactly."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from services.matching.domain import assignment, pair_table
from services.matching.domain.assignment import CAPACITY_EXHAUSTED, NO_ELIGIBLE_MENTOR, solve_cohort
from services.matching.domain.candidates import ProgramRules
from services.matching.domain.scoring import ScoringModel

SKILLS_ONLY = ProgramRules(weights={"skills": 1, "goals": 0, "seniority": 0, "cross_department": 0, "language": 0,
                                    "timezone": 0})


def reference_optimum(scores: np.ndarray, eligible: np.ndarray, capacity: np.ndarray) -> tuple[int, int]:
    """(placed, total) by linear_sum_assignment over capacity-expanded columns with a cardinality bonus."""
    slots = np.repeat(np.arange(len(capacity)), np.maximum(capacity, 0))
    if len(slots) == 0 or len(scores) == 0:
        return 0, 0
    ok, weight = eligible[:, slots], scores[:, slots]
    rows, cols = linear_sum_assignment(np.where(ok, -(10**10 + weight), 0).astype(float))
    placed = ok[rows, cols]
    return int(placed.sum()), int(weight[rows, cols][placed].sum())


def brute_force_optimum(scores: np.ndarray, eligible: np.ndarray, capacity: np.ndarray) -> tuple[int, int]:
    """(placed, total) over every assignment: each mentee to no one or to one mentor."""
    best = (0, 0)
    for choice in itertools.product(range(-1, len(capacity)), repeat=len(scores)):
        picks = [(i, j) for i, j in enumerate(choice) if j >= 0]
        load = np.bincount([j for _, j in picks], minlength=len(capacity))
        if all(eligible[i, j] for i, j in picks) and (load <= capacity).all():
            best = max(best, (len(picks), sum(int(scores[i, j]) for i, j in picks)))
    return best


def solved(mentees, mentors, capacity, rules, at):
    model = ScoringModel(mentors, rules, at=at)
    scores, eligible = model.score_block(mentees)
    return model, solve_cohort(model, mentees, capacity), scores, eligible


def check_result(model, mentees, capacity, result, scores, eligible) -> tuple[int, int]:
    """The invariants of any result; returns its (placed, total)."""
    row = {m.employee_id: i for i, m in enumerate(mentees)}
    col = {mentor_id: j for j, mentor_id in enumerate(model.mentor_ids)}
    pairs = [(row[a.mentee_id], col[a.mentor_id]) for a in result.assignments]
    assert all(eligible[i, j] and capacity[j] > 0 for i, j in pairs)
    assert (np.bincount([j for _, j in pairs], minlength=len(capacity)) <= np.maximum(capacity, 0)).all()
    assert len({i for i, _ in pairs}) == len(pairs)
    assert [a.score for a in result.assignments] == [scores[i, j] / 1e6 for i, j in pairs]
    assert [a.breakdown for a in result.assignments] == [model.breakdown(mentees[i], j) for i, j in pairs]
    assert sorted([a.mentee_id for a in result.assignments] + [u.mentee_id for u in result.unmatched]) == \
        sorted(m.employee_id for m in mentees)
    for u in result.unmatched:
        has_open = bool((eligible[row[u.mentee_id]] & (capacity > 0)).any())
        assert u.reason == (CAPACITY_EXHAUSTED if has_open else NO_ELIGIBLE_MENTOR)
    total = sum(int(scores[i, j]) for i, j in pairs)
    assert result.objective == total / 1e6 and result.certificate_ok
    return len(pairs), total


@settings(max_examples=60, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_matches_an_independent_exact_solver(program, winter, seed):
    mentees, mentors, capacity, rules = program(seed)
    model, result, scores, eligible = solved(mentees, mentors, capacity, rules, winter)
    ok = eligible & (capacity > 0)[None, :]
    assert check_result(model, mentees, capacity, result, scores, eligible) == \
        reference_optimum(scores, ok, capacity)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_certificate_finds_the_optimum_from_a_starved_candidate_set(program, winter, seed):
    # one first candidate and one added pair per mentee a round: the pricing rounds must do the work
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assignment, "CANDIDATES_PER_MENTEE", 1)
        patch.setattr(assignment, "ADDED_PER_MENTEE", 1)
        patch.setattr(assignment, "NEAR_TIGHT", 0)
        mentees, mentors, capacity, rules = program(seed, 40, 12)
        model, result, scores, eligible = solved(mentees, mentors, capacity, rules, winter)
    assert check_result(model, mentees, capacity, result, scores, eligible) == \
        reference_optimum(scores, eligible & (capacity > 0)[None, :], capacity)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_pricing_in_int64_when_potentials_are_large(program, winter, seed):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pair_table, "SAFE_POTENTIAL", 0)
        patch.setattr(assignment, "CANDIDATES_PER_MENTEE", 1)
        mentees, mentors, capacity, rules = program(seed, 30, 10)
        model, result, scores, eligible = solved(mentees, mentors, capacity, rules, winter)
    assert check_result(model, mentees, capacity, result, scores, eligible) == \
        reference_optimum(scores, eligible & (capacity > 0)[None, :], capacity)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_tiny_programs_agree_with_brute_force(program, winter, seed):
    mentees, mentors, capacity, rules = program(seed, int(seed % 5) + 1, int(seed % 3) + 1)
    model, result, scores, eligible = solved(mentees, mentors, capacity, rules, winter)
    ok = eligible & (capacity > 0)[None, :]
    assert check_result(model, mentees, capacity, result, scores, eligible) == \
        brute_force_optimum(scores, ok, capacity) == reference_optimum(scores, ok, capacity)


def best_first_greedy(scores: np.ndarray, capacity: np.ndarray) -> int:
    left, taken, total = capacity.copy(), set(), 0
    for i, j in sorted(np.ndindex(*scores.shape), key=lambda p: -scores[p]):
        if i not in taken and left[j] > 0:
            taken.add(i)
            left[j] -= 1
            total += int(scores[i, j])
    return total


def test_beats_greedy_where_greedy_is_short_sighted(person, winter):
    # Yara: Ada 1.0, Bo 0.6; Zed: Ada 0.8, Bo 0.0. Greedy takes Yara-Ada first and is left with 1.0.
    mentees = [person("yara", goals=("python",)), person("zed", goals=("go",))]
    mentors = [person("ada", skills={"python": 5, "go": 4}), person("bo", skills={"python": 3})]
    model, result, scores, _ = solved(mentees, mentors, np.array([1, 1]), SKILLS_ONLY, winter)
    assert best_first_greedy(scores, np.array([1, 1])) == 1_000_000
    assert result.objective == 1.4
    assert {(a.mentee_id, a.mentor_id) for a in result.assignments} == {("yara", "bo"), ("zed", "ada")}


def test_places_more_mentees_before_a_higher_total(person, winter):
    # Yara-Ada alone scores 1.0; Yara-Bo (0.2) + Zed-Ada (0.2) place both, and that comes first
    mentees = [person("yara", goals=("python",)), person("zed", goals=("go",), grade=1)]
    mentors = [person("ada", skills={"python": 5, "go": 1}, grade=5), person("bo", skills={"python": 1}, grade=9)]
    rules = ProgramRules(weights=SKILLS_ONLY.weights, max_grade_gap=5)  # Bo is 8 grades above Zed
    _, result, _, _ = solved(mentees, mentors, np.array([1, 1]), rules, winter)
    assert {(a.mentee_id, a.mentor_id) for a in result.assignments} == {("yara", "bo"), ("zed", "ada")}
    assert result.objective == 0.4


def test_unmatched_mentees_say_why(person, winter):
    mentees = [person("yara", skills={"x": 1}), person("zed", status="leave"), person("kai", chain=("ada",))]
    mentors = [person("ada", skills={"x": 5})]
    model, result, scores, eligible = solved(mentees, mentors, np.array([1]), SKILLS_ONLY, winter)
    check_result(model, mentees, np.array([1]), result, scores, eligible)
    assert [(u.mentee_id, u.reason) for u in result.unmatched] == [("zed", NO_ELIGIBLE_MENTOR),
                                                                   ("kai", NO_ELIGIBLE_MENTOR)]
    busy = solve_cohort(model, [person("yara"), person("amy")], np.array([1]))
    assert [u.reason for u in busy.unmatched] == [CAPACITY_EXHAUSTED]


def test_the_same_input_gives_the_same_output(program, winter):
    mentees, mentors, capacity, rules = program(5, 60, 10)
    model = ScoringModel(mentors, ProgramRules(weights={"skills": 1, "seniority": 0, "goals": 0,
                                                        "cross_department": 0, "language": 0, "timezone": 0}),
                         at=winter)  # few distinct scores: many tied optima
    assert solve_cohort(model, mentees, capacity) == solve_cohort(model, mentees, capacity)


def test_empty_programs(person):
    model = ScoringModel([person("ada")], SKILLS_ONLY)
    assert solve_cohort(model, [], np.array([2])).assignments == []
    nobody = solve_cohort(ScoringModel([], SKILLS_ONLY), [person("yara")], np.array([], dtype=int))
    assert [u.reason for u in nobody.unmatched] == [NO_ELIGIBLE_MENTOR] and nobody.objective == 0
    full = solve_cohort(model, [person("yara")], np.array([0]))
    assert [u.reason for u in full.unmatched] == [NO_ELIGIBLE_MENTOR]
    with pytest.raises(ValueError):
        solve_cohort(model, [person("yara")], np.array([1, 1]))
