"""Every (mentee, mentor) score of a cohort in one int32 table, and the passes that read all of it.

4 bytes a pair (20k x 5k = 400 MB; memory grows with mentees x open mentors); row blocks run on a
thread pool (numpy releases the GIL), so the table is scored, and later priced, on every core.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from services.matching.domain.candidates import MentorTraits
from services.matching.domain.scoring import INELIGIBLE, Cohort, ScoringModel

ROWS_PER_BLOCK = 512
SAFE_POTENTIAL = 1 << 28  # potentials below this keep int32 sums of score and potentials exact


@dataclass(frozen=True)
class Found:
    """Pairs a pass picked out, with their reduced profit and whether they lie outside the cardinality cover."""

    rows: np.ndarray
    cols: np.ndarray
    profit: np.ndarray
    uncovered: np.ndarray

    @classmethod
    def join(cls, parts: list[Found]) -> Found:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("rows", "cols", "profit", "uncovered")))


class PairTable:
    """Scores of a cohort against the open mentors: int32 micro-units, INELIGIBLE where a rule fails."""

    def __init__(self, model: ScoringModel, cohort: Cohort, mentors: MentorTraits, pool: ThreadPoolExecutor,
                 first_per_mentee: int):
        self.pool = pool
        self.scores = np.empty((len(cohort), len(mentors.columns)), dtype=np.int32)
        self.blocks = [(a, min(a + ROWS_PER_BLOCK, len(cohort))) for a in range(0, len(cohort), ROWS_PER_BLOCK)]
        parts = self._each_block(lambda a, b: self._fill(model, cohort.rows(a, b), mentors, a, b, first_per_mentee))
        # each mentee's best score: negative when no open mentor is eligible
        self.best = np.concatenate([best for best, _ in parts]) if parts else np.full(len(cohort), INELIGIBLE)
        self.first_candidates = Found.join([found for _, found in parts]) if parts else _nothing()

    def _fill(self, model: ScoringModel, mentees: Cohort, mentors: MentorTraits, start: int, stop: int,
              per_mentee: int) -> tuple[np.ndarray, Found]:
        """Score one block; propose about each mentee's best mentors and each mentor's best mentee in it."""
        block = self.scores[start:stop]
        np.copyto(block, model.score_rows(mentees, mentors), casting="unsafe")
        their_best, their_best_cols = _best_per_row(block, 0, per_mentee)
        best_row = block.argmax(axis=0)
        fits = np.flatnonzero(block[best_row, np.arange(block.shape[1])] >= 0)
        rows = np.concatenate([their_best, best_row[fits]]) + start
        cols = np.concatenate([their_best_cols, fits])
        return block.max(axis=1), Found(rows, cols, np.zeros(len(rows), np.int64), np.zeros(len(rows), bool))

    def _each_block(self, work: Callable[[int, int], object]) -> list:
        if self.scores.shape[1] == 0:
            return []
        return list(self.pool.map(lambda bounds: work(*bounds), self.blocks))

    def weights(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.scores[rows, cols].astype(np.int64)

    def price(self, mentee_potential: np.ndarray, mentor_potential: np.ndarray, assigned: np.ndarray,
              reachable: np.ndarray, unreached: np.ndarray, slack: int, per_mentee: int) -> Found:
        """The pricing pass over every pair. Per mentee, about `per_mentee` unassigned pairs of highest
        reduced profit above -slack, and of best score among pairs outside the cardinality cover. A
        mentee with any violating pair always gets at least one (see _best_per_row)."""
        safe = max(np.abs(mentee_potential).max(initial=0), np.abs(mentor_potential).max(initial=0)) < SAFE_POTENTIAL
        kind = np.int32 if safe else np.int64
        mentee_p, mentor_p = mentee_potential.astype(kind), mentor_potential.astype(kind)
        open_cols = np.flatnonzero(unreached)

        def pass_block(start: int, stop: int) -> Found:
            block = self.scores[start:stop]
            profit = block + mentor_p[None, :]
            profit -= mentee_p[start:stop, None]
            if not safe:  # on the int32 path INELIGIBLE plus potentials stays far below any floor
                np.copyto(profit, np.iinfo(kind).min, where=block == INELIGIBLE)
            mine = np.flatnonzero(assigned[start:stop] >= 0)
            profit[mine, assigned[start:stop][mine]] = np.iinfo(kind).min  # at capacity: may exceed 0
            rows, cols = _best_per_row(profit, 1 - slack, per_mentee)
            cover_rows = np.flatnonzero(reachable[start:stop])
            sub_r, sub_c = _best_per_row(block[cover_rows][:, open_cols], 0, per_mentee)
            rows, cols = np.concatenate([rows, cover_rows[sub_r]]), np.concatenate([cols, open_cols[sub_c]])
            uncovered = reachable[start + rows] & unreached[cols]
            return Found(rows + start, cols, profit[rows, cols].astype(np.int64), uncovered)

        parts = self._each_block(pass_block)
        return Found.join(parts) if parts else _nothing()


def _best_per_row(values: np.ndarray, floor: int, per_row: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) with values >= floor and about the row's `per_row` largest, at most 2 * per_row a row.

    The cut-off is the 2nd largest of a column sample (a full argpartition of the table costs
    seconds) or the floor if higher, so every row whose maximum reaches the floor keeps its maximum.
    """
    if values.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    sample = values[:, ::max(1, per_row // 2)]
    rank = min(2, sample.shape[1])
    cutoff = np.maximum(np.partition(sample, -rank, axis=1)[:, -rank], floor)
    rows, cols = np.divmod(np.flatnonzero(values >= cutoff[:, None]), values.shape[1])
    if np.bincount(rows, minlength=len(values)).max(initial=0) <= 2 * per_row:
        return rows, cols
    # ties at the cut-off: keep each row's best, lowest column first among equals
    order = np.lexsort((cols, -values[rows, cols].astype(np.int64), rows))
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, rows)  # rows are sorted: where each row's run starts
    keep = np.arange(len(rows)) - first < 2 * per_row
    return rows[keep], cols[keep]


def _nothing() -> Found:
    empty = np.zeros(0, np.int64)
    return Found(empty, empty, empty, np.zeros(0, bool))
