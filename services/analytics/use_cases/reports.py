"""Use cases around program reports: load a program's facts, build its report, serve it to the API."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from services.analytics.domain import facts as f
from services.analytics.domain import state
from services.analytics.domain.export import rows
from services.analytics.domain.report import REPORT_FORMAT, build_report
from services.analytics.use_cases.ports import Facts, UnitOfWork
from shared.errors import NotFound
from shared.timeutil import to_rfc3339, utcnow

Clock = Callable[[], datetime]


def load_facts(facts: Facts, program_ids: Iterable[str]) -> dict[str, state.ProgramFacts]:
    """The latest state of each program's aggregates, read by indexed queries: the programs' own facts,
    then the people and goals of their participants, read once for all of them."""
    ids = sorted(set(program_ids))
    programs = facts.programs(ids)
    scoped: dict[str, dict[str, list]] = {kind: {pid: [] for pid in ids} for kind in f.PROGRAM_SCOPED}
    for kind in f.PROGRAM_SCOPED:
        for doc in facts.scoped(kind, ids):
            scoped[kind][doc["program_id"]].append(doc)
    enrolled = {d["person"] for docs in scoped[f.ENROLLMENTS].values() for d in docs}
    people = state.people(people_docs(facts, enrolled))
    goals = state.goals(facts.of_people(f.GOALS, enrolled))
    return {pid: state.ProgramFacts(
        program_id=pid, program=programs.get(pid),
        enrollments=state.enrollments(scoped[f.ENROLLMENTS][pid]),
        mentorships=state.mentorships(scoped[f.MENTORSHIPS][pid]),
        sessions=state.latest(scoped[f.SESSIONS][pid], "session", "rank"),
        feedback=scoped[f.FEEDBACK][pid], goals=goals, people=people) for pid in ids}


def people_docs(facts: Facts, enrolled: set[str]) -> list[dict[str, Any]]:
    """The profile facts of everyone enrolled, and of everyone now in one of their departments (the
    comparison group of the outcomes)."""
    docs = facts.of_people(f.PEOPLE, enrolled)
    departments = {p.department for p in state.people(docs).values() if p.department}
    return docs + facts.of_people(f.PEOPLE, facts.people_in(departments) - enrolled)


def stale_programs(uow: UnitOfWork, programs: set[str], people: set[str]) -> set[str]:
    """The programs whose report changed facts may touch: their own, those these people take part in, and
    those whose outcomes compare with a department these people are or were in."""
    if not people:
        return set(programs)
    departments = {d["department"] for d in uow.facts.of_people(f.PEOPLE, people) if d.get("department")}
    return set(programs) | uow.facts.programs_of(people) | uow.reports.showing(departments)


def is_known(facts: state.ProgramFacts) -> bool:
    return bool(facts.program or facts.enrollments or facts.mentorships or facts.sessions or facts.feedback)


def rebuild(uow: UnitOfWork, program_ids: Iterable[str], min_size: int, clock: Clock = utcnow) -> int:
    """Rebuild and store the reports of these programs (worker side); returns how many were stored."""
    started = to_rfc3339(clock())
    stored = 0
    for pid, facts in load_facts(uow.facts, program_ids).items():
        if is_known(facts):
            stored += uow.reports.save(pid, build_report(facts, min_size, clock()), started)
    return stored


def rebuild_all(uow: UnitOfWork, min_size: int, clock: Clock = utcnow) -> int:
    return rebuild(uow, uow.facts.known_programs(), min_size, clock)


def program_report(uow: UnitOfWork, program_id: str, min_size: int, clock: Clock = utcnow) -> dict[str, Any]:
    """What the API serves: the stored report, or one computed now if the worker has not built it yet
    (or built it in an older release's shape)."""
    stored = uow.reports.get(program_id)
    if stored is not None and stored.get("format") == REPORT_FORMAT:
        return stored
    return build_report(_facts(uow, program_id), min_size, clock())


def export_rows(uow: UnitOfWork, program_id: str, clock: Clock = utcnow) -> list[dict[str, Any]]:
    """Computed from the facts now: the export is a download, worth being exact."""
    return rows(_facts(uow, program_id), clock())


def _facts(uow: UnitOfWork, program_id: str) -> state.ProgramFacts:
    facts = load_facts(uow.facts, [program_id])[program_id]
    if not is_known(facts):
        raise NotFound(f"analytics knows nothing about program {program_id} (yet)")
    return facts
