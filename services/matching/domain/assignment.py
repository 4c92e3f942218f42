"""Cohort matching: place as many mentees as possible and, among all such placements, maximise the total
score - exactly, with a certificate over every pair.

The problem is a b-matching: mentee i takes at most one mentor, mentor j at most capacity[j] mentees,
only eligible pairs, weight w_ij = the integer micro-unit score. One flow over all m*n pairs is too
slow and too big (20k x 5k = 100M arcs), so each round solves a small candidate set of pairs and then
checks optimality over ALL pairs with one vectorised pass over the score table (pair_table):

1. Score every pair once, in row blocks on a thread pool, into an int32 table; each block also
   proposes about each mentee's CANDIDATES_PER_MENTEE best mentors and each mentor's best mentee.
2. Cardinality. Max flow over the candidates (flow.max_cardinality) gives k and the set R reachable
   from the source. {mentees not in R} + {mentors in R} is a vertex cover of weight k; if no eligible
   pair anywhere joins a mentee in R to a mentor outside R, it covers the full graph too, so k is the
   maximum over all pairs (Konig). Restricting to candidates may lower k: that is what this checks.
3. Weight. Min-cost flow over the candidates with supply exactly k - the cardinality is a constraint,
   not a big-M bonus. Bellman-Ford on its residual graph gives node potentials p with reduced cost
   >= 0 on every residual arc. The full graph adds only unused pairs i -> j (cost -w_ij), so the flow
   is optimal among ALL flows of value k iff every eligible pair outside the flow has reduced profit
   w_ij - p_i + p_j <= 0: two flows of the same value differ by cycles of the residual graph, and
   with such potentials none is negative. Pairs in the flow are at capacity and need no check.
4. The pricing pass checks both conditions on every table entry. Violators, plus near-tight pairs
   (reduced profit above -NEAR_TIGHT, to save rounds), at most about ADDED_PER_MENTEE per mentee, join
   the candidates and the round repeats. Pairs never leave, and every round adds a violator not yet
   there, so the rounds end; in practice after 2-3.

Ties go to whatever the solvers pick on a deterministic arc order: same input, same output.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from services.matching.domain import flow
from services.matching.domain.candidates import Candidate
from services.matching.domain.pair_table import PairTable
from services.matching.domain.scoring import SCORE_SCALE, Cohort, ScoringModel

MAX_ROUNDS = 50
CANDIDATES_PER_MENTEE = 16  # first round; the pricing rounds add what the optimum needs
ADDED_PER_MENTEE = 20
NEAR_TIGHT = 50_000  # micro-units: also add pairs this close to improving, which saves rounds
NO_ELIGIBLE_MENTOR = "no_eligible_mentor"
CAPACITY_EXHAUSTED = "capacity_exhausted"


@dataclass(frozen=True)
class Assignment:
    mentee_id: str
    mentor_id: str
    score: float
    breakdown: dict[str, float]


@dataclass(frozen=True)
class Unmatched:
    mentee_id: str
    reason: str  # NO_ELIGIBLE_MENTOR or CAPACITY_EXHAUSTED


@dataclass(frozen=True)
class CohortResult:
    assignments: list[Assignment]
    unmatched: list[Unmatched]
    objective: float  # sum of the reported 6-decimal scores
    rounds: int
    certificate_ok: bool  # both certificates held over every pair (False only if MAX_ROUNDS ran out)


@dataclass(frozen=True)
class _Optimum:
    rows: np.ndarray  # placed mentees
    cols: np.ndarray  # their mentors (open-mentor columns)
    rounds: int
    certificate_ok: bool


def solve_cohort(model: ScoringModel, mentees: Sequence[Candidate], remaining_capacity: np.ndarray) -> CohortResult:
    """Place as many mentees as possible, then maximise the total score among those placements, exactly."""
    capacity = np.asarray(remaining_capacity, dtype=np.int64).reshape(-1)
    if len(capacity) != len(model.mentors):
        raise ValueError("remaining_capacity needs one entry per mentor of the model")
    open_columns = np.flatnonzero(capacity > 0)
    cohort = model.prepare(mentees)
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        table = PairTable(model, cohort, model.traits.select(open_columns), pool, CANDIDATES_PER_MENTEE)
        optimum = _optimise(table, capacity[open_columns])
    return _result(model, mentees, cohort, table, open_columns[optimum.cols], optimum)


def _workers() -> int:
    """Threads for the table passes: the CPUs this process may use (a container's share), at most 4."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return max(1, min(4, len(usable)))


def _optimise(table: PairTable, capacity: np.ndarray) -> _Optimum:
    """Restricted solve, certificate over all pairs, grow the candidates; until the certificate holds."""
    m, n = table.scores.shape
    rows, cols = _union(n, table.first_candidates.rows, table.first_candidates.cols)
    potential, cardinality_proven = None, False
    for round_number in range(1, MAX_ROUNDS + 1):
        pairs = flow.CandidatePairs(rows, cols, table.weights(rows, cols), capacity, m)
        if not cardinality_proven:  # once proven, k stays the maximum: the pairs only grow
            placed, reachable = flow.max_cardinality(pairs)
        used = flow.best_flow(pairs, placed)
        potential = flow.potentials(pairs, used, potential)
        assigned = np.full(m, -1)
        assigned[rows[used]] = cols[used]
        found = table.price(potential[:m], potential[m:m + n], assigned, reachable[:m] & ~cardinality_proven,
                            ~reachable[m:m + n], NEAR_TIGHT, ADDED_PER_MENTEE)
        cardinality_proven = not found.uncovered.any()
        if cardinality_proven and not (found.profit > 0).any():
            return _Optimum(rows[used], cols[used], round_number, True)
        rows, cols = _union(n, np.concatenate([rows, found.rows]), np.concatenate([cols, found.cols]))
    return _Optimum(rows[used], cols[used], MAX_ROUNDS, False)


def _union(n: int, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct pairs sorted by (mentee, mentor): a deterministic arc order for the solvers."""
    keys = np.sort(rows.astype(np.int64) * n + cols)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys  # np.unique is far slower here
    return keys // n, keys % n


def _result(model: ScoringModel, mentees: Sequence[Candidate], cohort: Cohort, table: PairTable,
            mentor_of: np.ndarray, optimum: _Optimum) -> CohortResult:
    """Assignments in mentee order with scores and breakdowns; the rest unmatched, with the reason."""
    order = np.argsort(optimum.rows)
    rows, mentors = optimum.rows[order], mentor_of[order]
    micro = table.scores[rows, optimum.cols[order]].astype(np.int64)
    breakdowns = model.breakdowns(cohort.traits.rows(rows), mentors)
    assignments = [Assignment(mentees[i].employee_id, model.mentor_ids[j], int(w) / SCORE_SCALE, b)
                   for i, j, w, b in zip(rows.tolist(), mentors.tolist(), micro, breakdowns, strict=True)]
    placed = np.zeros(len(mentees), dtype=bool)
    placed[rows] = True
    unmatched = [Unmatched(mentees[i].employee_id, CAPACITY_EXHAUSTED if table.best[i] >= 0 else NO_ELIGIBLE_MENTOR)
                 for i in np.flatnonzero(~placed).tolist()]
    return CohortResult(assignments, unmatched, int(micro.sum()) / SCORE_SCALE, optimum.rounds, optimum.certificate_ok)
