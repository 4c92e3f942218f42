"""Pair scores: a weighted mean of six criteria in [0, 1], for blocks of mentees against every mentor.

`ScoringModel.score_rows` is the one function that turns pairs into scores: a cohort run calls it on
row blocks and suggestions call it on a block of one mentee, so a pair always gets the same score.
Each pair's value comes from the same elementwise IEEE operations on exact inputs (skill sums are
sums of small integers, exact in float32 in any order), so it does not depend on the block, the
other rows or the subset of mentors it was computed with. Scores are integers in micro-units
(score * 1e6, rounded): the value reported and the value optimised.

Criteria, each in [0, 1]: skills = mean of the mentor's level / 5 over the mentee's wanted skills
(goal targets and weak skills); goals = share of the goal target skills the mentor can teach (level
>= 4); seniority by grades above (SENIORITY_BY_GAP); cross_department = 1 for another department
(or the same one, if the program prefers that); language = shares one; timezone = overlap of the
09:00-17:00 local working days / 8 h. A mentee with no wanted skills or goals scores 0 there for
every mentor, which leaves the ranking to the other criteria.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from services.matching.domain import reasons as reasons_text
from services.matching.domain.candidates import (
    WORKDAY_MINUTES,
    Candidate,
    MenteeTraits,
    MentorTraits,
    Profiles,
    ProgramRules,
    minutes_apart,
    shares_language,
)
from services.matching.domain.constraints import HardConstraints, MenteeSide

CRITERIA = ("skills", "goals", "seniority", "cross_department", "language", "timezone")
DEFAULT_WEIGHTS = {"skills": 0.30, "goals": 0.25, "seniority": 0.15, "cross_department": 0.10,
                   "language": 0.10, "timezone": 0.10}
SCORE_SCALE = 1_000_000
INELIGIBLE = -(1 << 30)  # the score of a pair a hard constraint rules out; fits int32 with room to spare
BLOCKED = -2.0**40  # a blocked group's table entry: far below any score, whatever is added to it
# best 2-4 grades above the mentee; one above is nearly a peer, far above loses touch; not above: 0
SENIORITY_BY_GAP = np.array([0.0, 0.5, 1.0, 1.0, 1.0, 0.75, 0.5, 0.25])


def normalised_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Program weights over CRITERIA, defaults filled in, divided by their sum."""
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown criteria: {', '.join(sorted(unknown))}")
    values = np.array([float(weights.get(c, DEFAULT_WEIGHTS[c])) for c in CRITERIA])
    if not np.isfinite(values).all() or (values < 0).any() or values.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    return dict(zip(CRITERIA, (values / values.sum()).tolist(), strict=True))


@dataclass(frozen=True)
class Cohort:
    """Mentees prepared once for scoring: their arrays and their half of the hard constraints."""

    traits: MenteeTraits
    side: MenteeSide

    def __len__(self) -> int:
        return len(self.traits.grades)

    def rows(self, start: int, stop: int) -> Cohort:
        return Cohort(self.traits.rows(slice(start, stop)), self.side.rows(start, stop))


@dataclass(frozen=True)
class Suggestion:
    """One ranked mentor for a mentee."""

    mentor_id: str
    score: float
    breakdown: dict[str, float]
    reasons: list[str]


class ScoringModel:
    """Built once from the mentor list and program rules; scores blocks of mentees against the mentors."""

    def __init__(self, mentors: Sequence[Candidate], rules: ProgramRules, at: datetime | None = None):
        self.mentors = tuple(mentors)
        self.rules = rules
        self.weights = normalised_weights(rules.weights)
        self.mentor_ids = [m.employee_id for m in self.mentors]
        self.id_rank = np.argsort(np.argsort(np.array(self.mentor_ids, dtype=object), kind="stable"))
        # offsets are taken at one instant, so a DST change moves scores between runs, never within one
        self.traits = MentorTraits.build(self.mentors, at or datetime.now(UTC))
        self.constraints = HardConstraints(self.mentors, rules)

    def prepare(self, mentees: Sequence[Candidate]) -> Cohort:
        """The per-mentee work (Python loops) done once, before the row blocks."""
        return Cohort(MenteeTraits.build(mentees, self.traits), self.constraints.mentee_side(mentees))

    def score_rows(self, cohort: Cohort, mentors: MentorTraits | None = None) -> np.ndarray:
        """Micro-unit scores of a block against all (or the given) mentors: whole numbers in float64
        [b, n], INELIGIBLE where a hard constraint fails. Sum of (weight * 1e6) * criterion, rounded."""
        theirs, mine, w = mentors or self.traits, cohort.traits, self.weights
        total = (mine.wanted @ theirs.levels) * _per_row(w["skills"] * SCORE_SCALE, 5.0 * mine.wanted_count)
        total += (mine.goals @ theirs.teaches) * _per_row(w["goals"] * SCORE_SCALE, mine.goal_count)
        total += np.take(self._group_table(cohort), theirs.group, axis=1)
        np.rint(total, out=total)
        np.maximum(total, INELIGIBLE, out=total)  # the blocked groups' far-negative entries
        total[self.constraints.excluded_pairs(cohort.side, theirs)] = INELIGIBLE
        return total

    def _group_table(self, cohort: Cohort) -> np.ndarray:
        """Per mentee and group of alike mentors: the four profile criteria weighted, or BLOCKED.

        Same arithmetic as _profile_fit, on per-mentee tables over the few distinct grades, offsets and
        language sets, gathered per group."""
        mine, groups, w = cohort.traits, self.traits.groups, self.weights
        gap = np.clip(groups.grade_values[None, :] - mine.grades[:, None], 0, len(SENIORITY_BY_GAP) - 1)
        overlap = _overlap(mine.offsets[:, None], groups.offset_values[None, :])
        shared = shares_language(mine.language_bits[:, None, :], groups.language_sets[None, :, :])
        table = np.take(SENIORITY_BY_GAP[gap] * (w["seniority"] * SCORE_SCALE), groups.grade_of, axis=1)
        table += np.take(overlap * (w["timezone"] * SCORE_SCALE), groups.offset_of, axis=1)
        table += (w["cross_department"] * SCORE_SCALE) * self._department_fit(mine.departments[:, None],
                                                                              groups.departments[None, :])
        table += np.take(shared * (w["language"] * SCORE_SCALE), groups.language_of, axis=1)
        blocked = self.constraints.blocked_groups(cohort.side, mine.grades, groups, shared)
        np.copyto(table, BLOCKED, where=blocked)  # one gather then carries scores and filters alike
        return table

    def _department_fit(self, mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
        return (mine != theirs) if self.rules.prefer_cross_department else (mine == theirs)

    def _profile_fit(self, mine: MenteeTraits, theirs: Profiles, aligned: bool = False) -> dict[str, np.ndarray]:
        """Seniority, department, language and timezone fit: [b, k] against k profiles, or [b] if aligned."""
        mine_of, theirs_of = (_same, _same) if aligned else (_as_rows, _as_columns)
        gap = np.clip(theirs_of(theirs.grades) - mine_of(mine.grades), 0, len(SENIORITY_BY_GAP) - 1)
        department = self._department_fit(mine_of(mine.departments), theirs_of(theirs.departments))
        return {"seniority": SENIORITY_BY_GAP[gap], "cross_department": department * 1.0,
                "language": shares_language(mine_of(mine.language_bits), theirs_of(theirs.language_bits)) * 1.0,
                "timezone": _overlap(mine_of(mine.offsets), theirs_of(theirs.offsets))}

    def score_block(self, mentees: Sequence[Candidate]) -> tuple[np.ndarray, np.ndarray]:
        """(scores as int64 micro-units [b, n], eligible bool [b, n]); capacity is not applied here.

        Ineligible pairs are not scored: their entry is INELIGIBLE.
        """
        micro = self.score_rows(self.prepare(mentees)).astype(np.int64)
        return micro, micro >= 0

    def criteria(self, mine: MenteeTraits, mentor_of_row: np.ndarray) -> dict[str, np.ndarray]:
        """Every criterion in [0, 1] for row i paired with mentor mentor_of_row[i]: [b] each."""
        t = self.traits
        skill_sum = np.einsum("bs,sb->b", mine.wanted.toarray(), t.levels[:, mentor_of_row])
        goal_sum = np.einsum("bs,sb->b", mine.goals.toarray(), t.teaches[:, mentor_of_row])
        return {"skills": skill_sum * _per_row(1.0, 5.0 * mine.wanted_count, _same),
                "goals": goal_sum * _per_row(1.0, mine.goal_count, _same),
                **self._profile_fit(mine, t.profiles(mentor_of_row), aligned=True)}

    def breakdowns(self, mine: MenteeTraits, mentor_of_row: np.ndarray) -> list[dict[str, float]]:
        """Each row's criteria with its mentor, rounded to 6 decimals."""
        values = self.criteria(mine, mentor_of_row)
        rounded = {c: np.round(values[c], 6).tolist() for c in CRITERIA}
        return [{c: rounded[c][k] for c in CRITERIA} for k in range(len(mentor_of_row))]

    def breakdown(self, mentee: Candidate, mentor_index: int) -> dict[str, float]:
        """Each criterion of one pair, rounded to 6 decimals."""
        return self.breakdowns(MenteeTraits.build([mentee], self.traits), np.array([mentor_index]))[0]

    def reasons(self, mentee: Candidate, mentor_index: int) -> list[str]:
        """The strongest few reasons for this pair, as short sentences."""
        return self.explain(mentee, mentor_index, self.breakdown(mentee, mentor_index))

    def explain(self, mentee: Candidate, mentor_index: int, breakdown: Mapping[str, float]) -> list[str]:
        """Reasons from a breakdown already at hand."""
        return reasons_text.for_pair(mentee, self.mentors[mentor_index], breakdown, self.weights, self.rules)


def _same(a: np.ndarray) -> np.ndarray:
    return a


def _as_rows(a: np.ndarray) -> np.ndarray:
    return a[:, None]


def _as_columns(a: np.ndarray) -> np.ndarray:
    return a[None, :]


def _per_row(weight: float, denominator: np.ndarray, shape=_as_rows) -> np.ndarray:
    """weight / denominator per mentee, 0 where the mentee has nothing to share out."""
    return shape(np.where(denominator > 0, weight / np.maximum(denominator, 1.0), 0.0))


def _overlap(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """Share of the 8-hour local working day that two UTC offsets have in common."""
    return np.maximum(0, WORKDAY_MINUTES - minutes_apart(mine, theirs)) / WORKDAY_MINUTES


def suggest(model: ScoringModel, mentee: Candidate, remaining_capacity: np.ndarray, limit: int) -> list[Suggestion]:
    """Ranked eligible mentors with room left: score descending, then mentor id."""
    room = np.asarray(remaining_capacity).reshape(-1)
    if len(room) != len(model.mentors):
        raise ValueError("remaining_capacity needs one entry per mentor of the model")
    open_mentors = model.traits.select(np.flatnonzero(room > 0))
    cohort = model.prepare([mentee])
    micro = model.score_rows(cohort, open_mentors)
    eligible = np.flatnonzero(micro[0] >= 0)
    columns = open_mentors.columns[eligible]
    order = np.lexsort((model.id_rank[columns], -micro[0, eligible]))[:max(0, limit)]
    ranked, scores = columns[order], micro[0, eligible[order]]
    breakdowns = model.breakdowns(cohort.traits.rows(np.zeros(len(ranked), dtype=np.int64)), ranked)
    return [Suggestion(model.mentor_ids[j], int(score) / SCORE_SCALE, breakdown, model.explain(mentee, j, breakdown))
            for j, score, breakdown in zip(ranked, scores, breakdowns, strict=True)]
