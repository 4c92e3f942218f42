"""Network-flow steps of cohort matching over a restricted set of candidate pairs (ortools, numpy).

Nodes: mentees 0..m-1, mentors m..m+n-1, a source feeding every mentee (capacity 1) and a sink
fed by every mentor (capacity = remaining capacity). A pair (i, j) is an arc mentee -> mentor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow


@dataclass(frozen=True)
class CandidatePairs:
    """The restricted bipartite graph: candidate pairs with their integer scores."""

    rows: np.ndarray  # mentee of each pair
    cols: np.ndarray  # mentor of each pair
    weights: np.ndarray  # int64 micro-unit scores
    capacity: np.ndarray  # int64 remaining capacity per mentor
    n_mentees: int

    @property
    def n_mentors(self) -> int:
        return len(self.capacity)

    def arcs(self, pair_capacity: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(tails, heads, capacities): source -> mentees, pairs, mentors -> sink."""
        m, n = self.n_mentees, self.n_mentors
        source, sink = m + n, m + n + 1
        tails = np.concatenate([np.full(m, source), self.rows, m + np.arange(n)])
        heads = np.concatenate([np.arange(m), m + self.cols, np.full(n, sink)])
        caps = np.concatenate([np.ones(m, np.int64), np.full(len(self.rows), pair_capacity), self.capacity])
        return tails, heads, caps


def max_cardinality(pairs: CandidatePairs) -> tuple[int, np.ndarray]:
    """Most mentees the pairs can place, and the nodes reachable from the source afterwards.

    Pair arcs get capacity 2 (a mentee only ever carries 1), so the reachable set never cuts one:
    its cut is {unreachable mentees} + {reachable mentors}, a vertex cover of weight = the flow.
    """
    m, n = pairs.n_mentees, pairs.n_mentors
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(*pairs.arcs(pair_capacity=2))
    if solver.solve(m + n, m + n + 1) != solver.OPTIMAL:
        raise RuntimeError("max flow did not solve")
    reachable = np.zeros(m + n + 2, dtype=bool)
    reachable[solver.get_source_side_min_cut()] = True
    return solver.optimal_flow(), reachable


def best_flow(pairs: CandidatePairs, placed: int) -> np.ndarray:
    """Which pairs carry flow in a maximum-weight assignment of exactly `placed` mentees (bool per pair)."""
    m, n = pairs.n_mentees, pairs.n_mentors
    if placed == 0:
        return np.zeros(len(pairs.rows), dtype=bool)
    solver = min_cost_flow.SimpleMinCostFlow()
    tails, heads, caps = pairs.arcs(pair_capacity=1)
    costs = np.concatenate([np.zeros(m, np.int64), -pairs.weights, np.zeros(n, np.int64)])
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(m + n + 2, np.int64)
    supplies[m + n], supplies[m + n + 1] = placed, -placed
    solver.set_nodes_supplies(np.arange(m + n + 2), supplies)
    if solver.solve() != solver.OPTIMAL:
        raise RuntimeError("min cost flow did not solve")
    return solver.flows(np.arange(m, m + len(pairs.rows))) > 0


def potentials(pairs: CandidatePairs, used: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """Node potentials p with p[head] <= p[tail] + cost on every residual arc (int64 [m + n + 2]).

    Shortest distances from a virtual root joined to every node, by Bellman-Ford over the residual
    graph, relaxing only the arcs out of nodes that changed. An optimal flow has no negative cycle,
    so this ends; any finite `start` (e.g. last round's potentials) is a valid starting point.
    """
    tail, head, cost = _residual_arcs(pairs, used)
    nodes = pairs.n_mentees + pairs.n_mentors + 2
    order = np.argsort(tail, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    first_arc = np.searchsorted(tail, np.arange(nodes + 1))
    distance = np.zeros(nodes, np.int64) if start is None else start.copy()
    changed = np.arange(nodes)
    for _ in range(nodes + 1):
        starts, counts = first_arc[changed], first_arc[changed + 1] - first_arc[changed]
        arcs = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        reach = distance[tail[arcs]] + cost[arcs]
        better = reach < distance[head[arcs]]
        if not better.any():
            return distance
        improved = head[arcs][better]
        np.minimum.at(distance, improved, reach[better])
        mark = np.zeros(nodes, dtype=bool)
        mark[improved] = True
        changed = np.flatnonzero(mark)
    raise RuntimeError("negative cycle in the residual graph: the flow is not optimal")


def _residual_arcs(pairs: CandidatePairs, used: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arcs with room left, as (tail, head, cost) in min-cost form (a pair costs minus its score)."""
    m, n = pairs.n_mentees, pairs.n_mentors
    source, sink = m + n, m + n + 1
    placed = np.zeros(m, dtype=bool)
    placed[pairs.rows[used]] = True
    load = np.bincount(pairs.cols[used], minlength=n)
    free_mentees, placed_mentees = np.flatnonzero(~placed), np.flatnonzero(placed)
    open_mentors, loaded_mentors = np.flatnonzero(load < pairs.capacity), np.flatnonzero(load > 0)
    tail = np.concatenate([np.full(len(free_mentees), source), placed_mentees, pairs.rows[~used],
                           m + pairs.cols[used], m + open_mentors, np.full(len(loaded_mentors), sink)])
    head = np.concatenate([free_mentees, np.full(len(placed_mentees), source), m + pairs.cols[~used],
                           pairs.rows[used], np.full(len(open_mentors), sink), m + loaded_mentors])
    cost = np.concatenate([np.zeros(len(free_mentees) + len(placed_mentees), np.int64), -pairs.weights[~used],
                           pairs.weights[used], np.zeros(len(open_mentors) + len(loaded_mentors), np.int64)])
    return tail.astype(np.int64), head.astype(np.int64), cost
