"""Pair scores: range, breakdown, weights, one score per pair wherever it is computed, reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matching.domain.candidates import ProgramRules
from services.matching.domain.scoring import CRITERIA, ScoringModel, normalised_weights, suggest

ONLY = {c: 0.0 for c in CRITERIA}


@pytest.fixture
def yara(person):
    return person("yara", name="Yara Haddad", department="Engineering", grade=4, languages=("en", "de"),
                  timezone="Europe/London", skills={"python": 1, "sql": 4}, goals=("python", "go"))


@pytest.fixture
def mentors(person):
    return [person("ada", department="Finance", grade=7, languages=("de",), timezone="Europe/Berlin",
                   skills={"python": 5, "go": 2}),
            person("bob", grade=4, timezone="America/New_York", skills={"go": 4}),
            person("cy", department="Sales", grade=15, languages=("ja",), timezone="Asia/Tokyo", skills={"sql": 5})]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_scores_are_in_range_and_the_same_pair_scores_the_same_in_any_block(program, winter, seed):
    mentees, mentors, _, rules = program(seed)
    model = ScoringModel(mentors, rules, at=winter)
    scores, eligible = model.score_block(mentees)
    assert ((scores[eligible] >= 0) & (scores[eligible] <= 1_000_000)).all()
    for i, mentee in enumerate(mentees[:8]):
        one, one_eligible = model.score_block([mentee])
        assert np.array_equal(one[0], scores[i]) and np.array_equal(one_eligible[0], eligible[i])
    half = len(mentees) // 2
    assert np.array_equal(model.score_block(mentees[half:])[0], scores[half:])


@settings(max_examples=40, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_score_is_the_weighted_mean_of_the_breakdown(program, winter, seed):
    mentees, mentors, _, rules = program(seed)
    model = ScoringModel(mentors, rules, at=winter)
    scores, eligible = model.score_block(mentees)
    weights = normalised_weights(rules.weights)
    for i, mentee in enumerate(mentees[:5]):
        for j in range(len(mentors)):
            breakdown = model.breakdown(mentee, j)
            assert set(breakdown) == set(CRITERIA) and all(0 <= v <= 1 for v in breakdown.values())
            expected = sum(weights[c] * breakdown[c] for c in CRITERIA)
            assert not eligible[i, j] or abs(scores[i, j] / 1e6 - expected) <= 1.1e-6


def test_a_single_weight_makes_the_score_that_criterion(yara, mentors, winter):
    for criterion in CRITERIA:
        model = ScoringModel(mentors, ProgramRules(weights={**ONLY, criterion: 2.0}), at=winter)
        scores, _ = model.score_block([yara])
        assert scores[0].tolist() == [round(model.breakdown(yara, j)[criterion] * 1e6) for j in range(3)]


def test_missing_weights_get_defaults_and_bad_weights_are_refused():
    assert normalised_weights({}) == normalised_weights({"skills": 0.30, "goals": 0.25})
    assert sum(normalised_weights({"skills": 5}).values()) == pytest.approx(1.0)
    for bad in ({"skills": -1}, {"charisma": 1}, ONLY, {"skills": float("nan")}):
        with pytest.raises(ValueError):
            normalised_weights(bad)


def test_criteria_follow_the_profiles(yara, mentors, winter):
    model = ScoringModel(mentors, ProgramRules(weights={}), at=winter)
    ada, bob, cy = (model.breakdown(yara, j) for j in range(3))
    # wanted: goals python, go, then weak python -> {python, go}; ada 5 and 2 of 5 each
    assert ada["skills"] == pytest.approx(0.7) and ada["goals"] == 0.5  # teaches python, not go
    assert (ada["seniority"], bob["seniority"], cy["seniority"]) == (1.0, 0.0, 0.25)
    assert (ada["cross_department"], bob["cross_department"]) == (1.0, 0.0)
    assert (ada["language"], cy["language"]) == (1.0, 0.0)
    assert (ada["timezone"], bob["timezone"], cy["timezone"]) == (7 / 8, 3 / 8, 0.0)


def test_timezone_offsets_are_taken_at_the_model_instant(person, yara):
    new_york = [person("nyc", timezone="America/New_York")]
    winter = ScoringModel(new_york, ProgramRules(weights={}), at=datetime(2026, 1, 15, tzinfo=UTC))
    spring = ScoringModel(new_york, ProgramRules(weights={}), at=datetime(2026, 3, 20, tzinfo=UTC))
    # US clocks go forward on 8 March, the UK's on 29 March: 5 hours apart, then 4
    assert winter.breakdown(yara, 0)["timezone"] == 3 / 8 and spring.breakdown(yara, 0)["timezone"] == 4 / 8


def test_same_department_scores_when_the_program_prefers_it(yara, mentors, winter):
    model = ScoringModel(mentors, ProgramRules(weights={}, prefer_cross_department=False), at=winter)
    assert (model.breakdown(yara, 0)["cross_department"], model.breakdown(yara, 1)["cross_department"]) == (0, 1)


def test_reasons_say_why_in_a_few_short_sentences(yara, mentors, winter):
    model = ScoringModel(mentors, ProgramRules(weights={}), at=winter)
    reasons = model.reasons(yara, 0)
    assert "Expert (5/5) in python, which Yara wants to learn" in reasons
    assert "3 grades more senior" in reasons and "Works in Finance — a view from outside Engineering" in reasons
    assert len(reasons) <= 4
    everything = ScoringModel(mentors, ProgramRules(weights={"skills": 0, "goals": 0}), at=winter).reasons(yara, 0)
    assert everything == ["3 grades more senior", "Works in Finance — a view from outside Engineering",
                          "Shares German", "7 working hours overlap"]
    assert not any("sql" in r for r in model.reasons(yara, 2))  # Yara is 4/5 in sql: not a skill she wants


def test_reasons_name_the_skill_the_mentee_wants(person, winter):
    mentee = person("zoe", name="Zoe", skills={"negotiation": 2})
    mentor = person("mia", skills={"negotiation": 4, "python": 5})
    assert ScoringModel([mentor], ProgramRules(weights={}), at=winter).reasons(mentee, 0)[0] == \
        "Strong (4/5) in negotiation, which Zoe wants to strengthen"


def test_suggestions_rank_eligible_mentors_with_room(yara, mentors, person, winter):
    manager = person("boss", department="Finance", grade=9, skills={"python": 5, "go": 5})
    team = [*mentors, manager, person("ada2", department="Finance", grade=7, languages=("de",),
                                      timezone="Europe/Berlin", skills={"python": 5, "go": 2})]
    yara_reports = type(yara)(**{**yara.__dict__, "manager_chain": ("boss",)})
    model = ScoringModel(team, ProgramRules(weights={}), at=winter)
    ranked = suggest(model, yara_reports, np.array([1, 1, 0, 1, 1]), limit=10)
    assert [s.mentor_id for s in ranked] == ["ada", "ada2", "bob"]  # tie broken by id; cy full; boss excluded
    assert ranked[0].score == ranked[1].score and ranked[0].score > ranked[2].score
    scores, _ = model.score_block([yara_reports])
    assert [s.score for s in ranked] == [scores[0, 0] / 1e6, scores[0, 4] / 1e6, scores[0, 1] / 1e6]
    assert ranked[0].breakdown == model.breakdown(yara_reports, 0) and ranked[0].reasons
    assert len(suggest(model, yara_reports, np.array([1, 1, 0, 1, 1]), limit=2)) == 2


def test_an_unknown_timezone_counts_as_utc(person, winter):
    model = ScoringModel([person("ada", timezone="Mars/Olympus_Mons")], ProgramRules(weights={}), at=winter)
    assert model.breakdown(person("yara", timezone="UTC"), 0)["timezone"] == 1.0
