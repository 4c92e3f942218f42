"""Builders for matching's pure-core tests: readable hand-made people and seeded random programs."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from services.matching.domain.candidates import Candidate, ProgramRules

WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)  # Berlin UTC+1, London UTC+0, New York UTC-5
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo", "UTC")
SKILLS = ("python", "sql", "go", "negotiation", "design", "coaching")


def make_person(employee_id: str, *, name: str | None = None, department: str = "Engineering", grade: int = 5,
                languages: tuple[str, ...] = ("en",), timezone: str = "Europe/London",
                skills: dict[str, int] | None = None, goals: tuple[str, ...] = (),
                chain: tuple[str, ...] = (), status: str = "active",
                roles: tuple[str, ...] = ("mentee", "mentor"), declined: tuple[str, ...] = ()) -> Candidate:
    return Candidate(employee_id, name or f"{employee_id.title()} Person", department, grade, languages, timezone,
                     skills or {}, goals, chain, status, roles, declined)


def make_program(seed: int, n_mentees: int | None = None, n_mentors: int | None = None):
    """A small random program: (mentees, mentors, remaining capacity, rules), reproducible from the seed."""
    rng = np.random.default_rng(seed)
    n_mentees = n_mentees or int(rng.integers(1, 40))
    n_mentors = n_mentors or int(rng.integers(1, 12))
    mentor_ids = [f"m{j}" for j in range(n_mentors)]

    def someone(employee_id: str, mentor: bool) -> Candidate:
        skills = {str(s): int(rng.integers(1, 6)) for s in rng.choice(SKILLS, rng.integers(0, 4), replace=False)}
        chain = tuple(str(c) for c in rng.choice(mentor_ids + ["boss", "ceo"], rng.integers(0, 3), replace=False))
        return make_person(employee_id, department=str(rng.choice(["Eng", "Sales", "Ops"])),
                           grade=int(rng.integers(1, 16)), timezone=str(rng.choice(ZONES)),
                           languages=tuple(str(x) for x in rng.choice(["en", "de", "fr"], rng.integers(1, 3),
                                                                      replace=False)),
                           skills=skills, chain=chain,
                           goals=() if mentor else tuple(str(s) for s in rng.choice(SKILLS, rng.integers(0, 3))),
                           status="active" if rng.random() < 0.93 else "leave",
                           roles=("mentor",) if mentor else ("mentee",))

    mentees = [someone(f"e{i}", False) for i in range(n_mentees)]
    mentors = [someone(mentor_id, True) for mentor_id in mentor_ids]
    rules = ProgramRules(weights={c: float(rng.integers(0, 4)) for c in ("skills", "goals", "seniority", "language")},
                         exclude_reporting_line=bool(rng.random() < 0.8),
                         max_grade_gap=None if rng.random() < 0.5 else int(rng.integers(1, 8)),
                         require_shared_language=bool(rng.random() < 0.3),
                         prefer_cross_department=bool(rng.random() < 0.7))
    if not any(rules.weights.values()):
        rules = ProgramRules(weights={"skills": 1.0}, max_grade_gap=rules.max_grade_gap)
    return mentees, mentors, rng.integers(0, 4, n_mentors), rules


@pytest.fixture(scope="session")
def person():
    return make_person


@pytest.fixture(scope="session")
def program():
    return make_program


@pytest.fixture(scope="session")
def winter():
    return WINTER
