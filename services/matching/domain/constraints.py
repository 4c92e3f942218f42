"""Hard constraints: filters that make a (mentee, mentor) pair ineligible, never scores.

`HardConstraints` filters a block of mentees against every mentor at once (numpy): the rules that
depend only on a mentor's grade, languages and status per group of alike mentors, the reporting line,
same-person and already-declined rules as a sparse list of pairs;
`pair_violations` names the rules one pair breaks, for a hand-made match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from services.matching.domain.candidates import ACTIVE, Candidate, MentorGroups, MentorTraits, ProgramRules


def pair_violations(mentee: Candidate, mentor: Candidate, rules: ProgramRules) -> list[str]:
    """Names of the hard constraints this pair breaks; empty when the pair is eligible."""
    broken = []
    if mentee.employee_id == mentor.employee_id:
        broken.append("same_person")
    if "mentee" not in mentee.roles or "mentor" not in mentor.roles:
        broken.append("role")
    if mentee.employment_status != ACTIVE or mentor.employment_status != ACTIVE:
        broken.append("not_active")
    if rules.exclude_reporting_line and in_reporting_line(mentee, mentor):
        broken.append("reporting_line")
    if rules.max_grade_gap is not None and abs(mentee.grade - mentor.grade) > rules.max_grade_gap:
        broken.append("grade_gap")
    if rules.require_shared_language and not set(mentee.languages) & set(mentor.languages):
        broken.append("no_shared_language")
    return broken


def in_reporting_line(a: Candidate, b: Candidate) -> bool:
    """True when either person manages the other, at any depth."""
    return a.employee_id in b.manager_chain or b.employee_id in a.manager_chain


@dataclass(frozen=True)
class MenteeSide:
    """The mentee half of the constraints for a cohort: who may take part, and excluded (row, col) pairs."""

    allowed: np.ndarray  # bool [m]
    excluded_rows: np.ndarray  # sorted
    excluded_cols: np.ndarray

    def rows(self, start: int, stop: int) -> MenteeSide:
        lo, hi = np.searchsorted(self.excluded_rows, [start, stop])
        return MenteeSide(self.allowed[start:stop], self.excluded_rows[lo:hi] - start, self.excluded_cols[lo:hi])


class HardConstraints:
    """The hard constraints of one program over one mentor list."""

    def __init__(self, mentors: Sequence[Candidate], rules: ProgramRules):
        self.rules = rules
        self.n_mentors = len(mentors)
        self.mentor_index = {m.employee_id: j for j, m in enumerate(mentors)}
        # manager id -> mentors somewhere below them, so "the mentee manages this mentor" is one lookup
        self.reports_of: dict[str, list[int]] = defaultdict(list)
        for j, mentor in enumerate(mentors):
            for manager_id in mentor.manager_chain:
                self.reports_of[manager_id].append(j)

    def mentee_side(self, mentees: Sequence[Candidate]) -> MenteeSide:
        """Per-mentee checks, done once per cohort: active with the mentee role, same person, a pair already
        declined, reporting line."""
        rows: list[int] = []
        cols: list[int] = []
        for i, mentee in enumerate(mentees):
            excluded = {self.mentor_index.get(mentee.employee_id)}
            excluded.update(self.mentor_index.get(mentor_id) for mentor_id in mentee.declined_mentors)
            if self.rules.exclude_reporting_line:
                excluded.update(self.mentor_index.get(manager_id) for manager_id in mentee.manager_chain)
                excluded.update(self.reports_of.get(mentee.employee_id, ()))
            found = sorted(j for j in excluded if j is not None)
            rows += [i] * len(found)
            cols += found
        allowed = np.array([m.employment_status == ACTIVE and "mentee" in m.roles for m in mentees], dtype=bool)
        return MenteeSide(allowed.reshape(-1), np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))

    def blocked_groups(self, side: MenteeSide, mentee_grades: np.ndarray, groups: MentorGroups,
                       shared_language_sets: np.ndarray) -> np.ndarray:
        """bool [b, groups]: what rules a mentee out for a whole group of alike mentors.

        `shared_language_sets` [b, language sets]: whether the mentee shares a language with each set.
        """
        blocked = np.logical_or(~side.allowed[:, None], ~groups.available[None, :])
        if self.rules.max_grade_gap is not None:
            too_far = np.abs(mentee_grades[:, None] - groups.grade_values[None, :]) > self.rules.max_grade_gap
            blocked |= np.take(too_far, groups.grade_of, axis=1)
        if self.rules.require_shared_language:
            blocked |= ~np.take(shared_language_sets, groups.language_of, axis=1)
        return blocked

    def excluded_pairs(self, side: MenteeSide, mentors: MentorTraits) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cols) of the block's same-person and reporting-line pairs among `mentors`."""
        position = np.full(self.n_mentors, -1)
        position[mentors.columns] = np.arange(len(mentors.columns))
        cols = position[side.excluded_cols]
        return side.excluded_rows[cols >= 0], cols[cols >= 0]
