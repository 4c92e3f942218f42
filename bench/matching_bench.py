"""Cohort matching at scale: exact solver vs a greedy baseline (and a dense exact solver where it fits);
suggestion latency. Synthetic programs; each size runs in its own process so peak RSS is its own.

    python -m bench.matching_bench [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime

import numpy as np
from scipy.optimize import linear_sum_assignment

from services.matching.domain.assignment import solve_cohort
from services.matching.domain.candidates import Candidate, ProgramRules
from services.matching.domain.scoring import ScoringModel, suggest

SIZES = ((2_000, 400), (10_000, 2_000), (20_000, 5_000))
CAPACITY_MODES = ("tight", "random")  # tight: total capacity == mentees; random: each mentor 1-5
DENSE_EXACT_UP_TO = 2_000 * 400
SUGGESTION_CALLS = 200
AS_OF = datetime(2026, 3, 2, 12, tzinfo=UTC)

DEPARTMENTS = ("Engineering", "Sales", "Finance", "Operations", "Marketing", "Product", "Support", "Data",
               "Legal", "People", "Design", "Security")
REGIONS = (("Europe/Berlin", ("de",)), ("Europe/London", ()), ("America/New_York", ("es",)),
           ("America/Los_Angeles", ("es",)), ("Asia/Kolkata", ("hi",)), ("Asia/Tokyo", ("ja",)),
           ("Europe/Paris", ("fr",)), ("America/Sao_Paulo", ("pt",)), ("Australia/Sydney", ()))
SKILLS = tuple(f"{area}-{topic}" for area in ("eng", "data", "biz", "lead", "ops", "comms")
               for topic in ("core", "design", "testing", "cloud", "analysis", "planning", "negotiation",
                             "coaching", "security", "writing"))  # 60 skills


def synthetic_program(n_mentees: int, n_mentors: int, capacity_mode: str, seed: int = 7):
    """Mentees, mentors (some of them the mentees' managers), remaining capacities and rules."""
    rng = np.random.default_rng(seed)
    dept_weights = 1 / np.arange(1, len(DEPARTMENTS) + 1)
    dept_weights /= dept_weights.sum()
    core = {d: rng.choice(len(SKILLS), 12, replace=False) for d in DEPARTMENTS}
    mentors = [_person(rng, f"m{k}", True, dept_weights, core, ()) for k in range(n_mentors)]
    # the senior mentors of each department manage teams: their chain heads the mentees' chains
    leads = {d: [m.employee_id for m in mentors if m.department == d and m.grade >= 12][:20] for d in DEPARTMENTS}
    mentees = []
    for k in range(n_mentees):
        dept = DEPARTMENTS[rng.choice(len(DEPARTMENTS), p=dept_weights)]
        lead = leads[dept][rng.integers(len(leads[dept]))] if leads[dept] else f"lead-{dept}"
        chain = (f"mgr-{dept}-{rng.integers(40)}", lead, f"head-{dept}")
        mentees.append(_person(rng, f"e{k}", False, dept_weights, core, chain, dept))
    rules = ProgramRules(weights={"skills": 3, "goals": 3, "seniority": 2, "cross_department": 1,
                                  "language": 1, "timezone": 1.5}, max_grade_gap=8)
    return mentees, mentors, _capacities(rng, n_mentees, n_mentors, capacity_mode), rules


def _person(rng, employee_id, mentor, dept_weights, core, chain, dept=None) -> Candidate:
    dept = dept or DEPARTMENTS[rng.choice(len(DEPARTMENTS), p=dept_weights)]
    zone, extra = REGIONS[rng.integers(len(REGIONS))]
    own = rng.choice(core[dept], rng.integers(3, 7), replace=False)
    other = rng.choice(len(SKILLS), rng.integers(1, 5), replace=False)
    skills = {SKILLS[s]: int(rng.integers(3, 6) if mentor else rng.integers(1, 5)) for s in (*own, *other)}
    goals = () if mentor else tuple(SKILLS[s] for s in rng.choice(core[dept], rng.integers(1, 4), replace=False))
    grade = int(np.clip(rng.normal(9.5, 2.5) if mentor else rng.normal(5, 2), 1, 15))
    languages = (("en",) if rng.random() < 0.92 else ()) + extra or ("en",)
    return Candidate(employee_id, f"{employee_id.title()} Example", dept, grade, languages, zone, skills, goals,
                     chain if not mentor else (f"head-{dept}",), roles=("mentor",) if mentor else ("mentee",))


def _capacities(rng, n_mentees: int, n_mentors: int, mode: str) -> np.ndarray:
    capacity = rng.integers(1, 6, n_mentors)
    target = min(max(n_mentees, n_mentors), 5 * n_mentors)  # as close to the mentees as 1..5 each allows
    if mode == "tight":  # nudge random mentors within 1..5 until the total equals the mentees
        while (gap := target - int(capacity.sum())) != 0:
            room = np.flatnonzero(capacity < 5) if gap > 0 else np.flatnonzero(capacity > 1)
            chosen = rng.choice(room, min(abs(gap), len(room)), replace=False)
            capacity[chosen] += 1 if gap > 0 else -1
    return capacity


def greedy(model: ScoringModel, mentees, capacity: np.ndarray) -> tuple[int, int]:
    """Baseline: score everything, then take pairs best-first (each mentee's 64 best), then any room left."""
    scores = np.concatenate([model.score_rows(model.prepare(mentees[a:a + 1024])).astype(np.int32)
                             for a in range(0, len(mentees), 1024)])
    scores[:, capacity <= 0] = -1
    top = np.argpartition(scores, -min(64, scores.shape[1]), axis=1)[:, -64:]
    rows = np.repeat(np.arange(len(mentees)), top.shape[1])
    cols, weights = top.ravel(), scores[rows, top.ravel()]
    order = np.argsort(-weights, kind="stable")
    left, mentor_of, total = capacity.copy(), np.full(len(mentees), -1), 0
    for i, j, w in zip(rows[order].tolist(), cols[order].tolist(), weights[order].tolist(), strict=True):
        if w >= 0 and mentor_of[i] < 0 and left[j] > 0:
            mentor_of[i], total, left[j] = j, total + w, left[j] - 1
    for i in np.flatnonzero(mentor_of < 0).tolist():
        row = np.where(left > 0, scores[i], -1)
        if row.max() >= 0:
            j = int(row.argmax())
            mentor_of[i], total, left[j] = j, total + int(row[j]), left[j] - 1
    return int((mentor_of >= 0).sum()), total


def dense_exact(model: ScoringModel, mentees, capacity: np.ndarray) -> tuple[int, int]:
    """Independent exact solver: linear_sum_assignment over capacity-expanded columns, cardinality bonus."""
    scores = model.score_rows(model.prepare(mentees)).astype(np.int64)
    slots = np.repeat(np.arange(len(capacity)), np.maximum(capacity, 0))
    expanded = scores[:, slots]
    bonus = 10 ** 12  # more than any total of scores: cardinality first
    rows, cols = linear_sum_assignment(np.where(expanded >= 0, -(bonus + expanded), 0.0))
    placed = expanded[rows, cols] >= 0
    return int(placed.sum()), int(expanded[rows, cols][placed].sum())


def run_size(n_mentees: int, n_mentors: int, mode: str, suggestions: bool) -> dict:
    """One row of the table, measured in this (fresh) process."""
    mentees, mentors, capacity, rules = synthetic_program(n_mentees, n_mentors, mode)
    rss_before = _peak_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    model = ScoringModel(mentors, rules, at=AS_OF)
    result = solve_cohort(model, mentees, capacity)
    row = {"size": f"{n_mentees}x{n_mentors}", "mode": mode, "capacity": int(capacity.sum()),
           "seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
           "rss_mb": _peak_rss_mb(), "rss_inputs_mb": rss_before, "matched": len(result.assignments),
           "objective": result.objective, "rounds": result.rounds, "certificate": result.certificate_ok}
    started = time.perf_counter()
    row["greedy_matched"], greedy_total = greedy(model, mentees, capacity)
    row["greedy_seconds"], row["greedy_objective"] = time.perf_counter() - started, greedy_total / 1e6
    if n_mentees * n_mentors <= DENSE_EXACT_UP_TO:
        started = time.perf_counter()
        row["dense_matched"], dense_total = dense_exact(model, mentees, capacity)
        row["dense_seconds"], row["dense_objective"] = time.perf_counter() - started, dense_total / 1e6
    if suggestions:
        row["suggest_ms"] = _suggestion_latency(model, mentees, capacity)
    return row


def _suggestion_latency(model: ScoringModel, mentees, capacity: np.ndarray) -> tuple[float, float]:
    picks = np.random.default_rng(3).choice(len(mentees), SUGGESTION_CALLS)
    timings = []
    for i in picks.tolist():
        started = time.perf_counter()
        suggest(model, mentees[i], capacity, limit=10)
        timings.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(timings, 50)), float(np.percentile(timings, 95))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _in_child(n_mentees: int, n_mentors: int, mode: str, suggestions: bool) -> dict:
    args = [sys.executable, "-m", "bench.matching_bench", "--child", str(n_mentees), str(n_mentors), mode]
    done = subprocess.run(args + (["--suggestions"] if suggestions else []), capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if done.returncode != 0:
        return {"size": f"{n_mentees}x{n_mentors}", "mode": mode, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def print_table(rows: list[dict]) -> None:
    header = ["size", "capacity", "exact s", "cpu s", "peak RSS MB", "matched", "objective", "rounds", "proven",
              "greedy s", "greedy matched", "greedy/exact", "dense exact s", "dense agrees"]
    lines = []
    for r in rows:
        if "error" in r:
            lines.append([r["size"], r["mode"], "failed: " + " ".join(r["error"])] + [""] * (len(header) - 3))
            continue
        dense = "dense_objective" in r
        lines.append([r["size"], f"{r['mode']} ({r['capacity']})", f"{r['seconds']:.2f}", f"{r['cpu']:.2f}",
                      f"{r['rss_mb']:.0f} ({r['rss_inputs_mb']:.0f} inputs)", r["matched"], f"{r['objective']:.3f}",
                      r["rounds"], "yes" if r["certificate"] else "NO", f"{r['greedy_seconds']:.2f}",
                      r["greedy_matched"], f"{r['greedy_objective'] / r['objective']:.4f}" if r["objective"] else "-",
                      f"{r['dense_seconds']:.2f}" if dense else "-",
                      ("yes" if (r["dense_matched"], round(r["dense_objective"], 6)) ==
                       (r["matched"], round(r["objective"], 6)) else "NO") if dense else "-"])
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    for line in [header, ["-" * w for w in widths], *lines]:
        print("  ".join(str(x).rjust(w) for x, w in zip(line, widths, strict=True)))
    for r in rows:
        if "suggest_ms" in r:
            p50, p95 = r["suggest_ms"]
            print(f"\nsuggestions for one mentee against {r['size'].split('x')[1]} mentors "
                  f"({SUGGESTION_CALLS} calls, limit 10): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="only the smallest size (CI smoke)")
    parser.add_argument("--child", nargs=3, metavar=("MENTEES", "MENTORS", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--suggestions", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_size(int(args.child[0]), int(args.child[1]), args.child[2], args.suggestions)))
        return 0
    sizes = SIZES[:1] if args.quick else SIZES
    print(f"cohort matching, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          "each row in its own process", flush=True)
    rows = []
    for n_mentees, n_mentors in sizes:
        for mode in CAPACITY_MODES:
            last = (n_mentees, n_mentors) == sizes[-1] and mode == CAPACITY_MODES[0]
            rows.append(_in_child(n_mentees, n_mentors, mode, suggestions=last))
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
