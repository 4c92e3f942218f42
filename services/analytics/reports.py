"""Use cases around program reports: load a program's facts, build its report, serve it to the API."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from services.analytics.domain import facts as f
from services.analytics.domain import state
from services.analytics.domain.export import rows
from services.analytics.domain.report import build_report
from services.analytics.repository import PROGRAM_SCOPED, FactRepository
from shared.errors import NotFound
from shared.timeutil import to_rfc3339, utcnow

log = logging.getLogger(__name__)


def load_facts(repo: FactRepository, program_ids: Iterable[str]) -> dict[str, state.ProgramFacts]:
    """The latest state of each program's aggregates, read by indexed queries: the programs' own facts,
    then the people and goals of their participants, read once for all of them."""
    ids = sorted(set(program_ids))
    programs = repo.program_docs(ids)
    scoped: dict[str, dict[str, list]] = {kind: {pid: [] for pid in ids} for kind in PROGRAM_SCOPED}
    for kind in PROGRAM_SCOPED:
        for doc in repo.scoped(kind, ids):
            scoped[kind][doc["program_id"]].append(doc)
    enrolled = {d["person"] for docs in scoped[f.ENROLLMENTS].values() for d in docs}
    people = state.people(people_docs(repo, enrolled))
    goals = state.goals(repo.of_people(f.GOALS, enrolled))
    return {pid: state.ProgramFacts(
        program_id=pid, program=programs.get(pid),
        enrollments=state.enrollments(scoped[f.ENROLLMENTS][pid]),
        mentorships=state.mentorships(scoped[f.MENTORSHIPS][pid]),
        sessions=state.latest(scoped[f.SESSIONS][pid], "session", "rank"),
        feedback=scoped[f.FEEDBACK][pid], goals=goals, people=people) for pid in ids}


def people_docs(repo: FactRepository, enrolled: set[str]) -> list[dict[str, Any]]:
    """The profile facts of everyone enrolled, and of everyone now in one of their departments (the
    comparison group of the outcomes)."""
    docs = repo.of_people(f.PEOPLE, enrolled)
    departments = {p.department for p in state.people(docs).values() if p.department}
    return docs + repo.of_people(f.PEOPLE, repo.people_in(departments) - enrolled)


def stale_programs(repo: FactRepository, programs: set[str], people: set[str]) -> set[str]:
    """The programs whose report changed facts may touch: their own, those these people take part in, and
    those whose outcomes compare with a department these people are or were in."""
    if not people:
        return set(programs)
    departments = {d["department"] for d in repo.of_people(f.PEOPLE, people) if d.get("department")}
    return set(programs) | repo.programs_of(people) | repo.reports_showing(departments)


def is_known(facts: state.ProgramFacts) -> bool:
    return bool(facts.program or facts.enrollments or facts.mentorships or facts.sessions or facts.feedback)


class ReportBuilder:
    """Rebuilds reports from facts and stores them (worker side)."""

    def __init__(self, repo: FactRepository, min_size: int, clock: Callable[[], datetime] = utcnow):
        self._repo, self._min_size, self._clock = repo, min_size, clock

    def build(self, program_ids: Iterable[str]) -> int:
        """Rebuild and store the reports of these programs; returns how many were stored."""
        started = self._clock()
        stored = 0
        for pid, facts in load_facts(self._repo, program_ids).items():
            if is_known(facts):
                report = build_report(facts, self._min_size, self._clock())
                stored += self._repo.save_report(pid, report, to_rfc3339(started))
        return stored

    def build_all(self) -> int:
        return self.build(self._repo.known_programs())


class ReportService:
    """What the API asks for: the stored report, or one computed now if the worker has not built it yet."""

    def __init__(self, repo: FactRepository, min_size: int, clock: Callable[[], datetime] = utcnow):
        self._repo, self._min_size, self._clock = repo, min_size, clock

    def report(self, program_id: str) -> dict[str, Any]:
        stored = self._repo.report(program_id)
        if stored is not None:
            return stored
        facts = self._facts(program_id)
        return build_report(facts, self._min_size, self._clock())

    def export_rows(self, program_id: str) -> list[dict[str, Any]]:
        """Computed from the facts now: the export is a download, worth being exact."""
        return rows(self._facts(program_id), self._clock())

    def _facts(self, program_id: str) -> state.ProgramFacts:
        facts = load_facts(self._repo, [program_id])[program_id]
        if not is_known(facts):
            raise NotFound(f"analytics knows nothing about program {program_id} (yet)")
        return facts
