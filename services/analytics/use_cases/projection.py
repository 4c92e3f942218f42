"""Use case of the consumer: record each event as a fact, erase people, and note which reports changed."""

from __future__ import annotations

from services.analytics.domain import facts as f
from services.analytics.use_cases.ports import UnitOfWork


def record(uow: UnitOfWork, fact: f.Fact) -> None:
    """Buffer the fact for the batch's bulk write; once committed, its report is out of date."""
    uow.facts.add(fact.kind, fact.doc)
    uow.after_commit(lambda: uow.changes.note(fact.doc))


def erase(uow: UnitOfWork, erasure: f.Erasure) -> None:
    """Register first, so that versions written after it (this batch's too) are stored stripped; then
    strip what is stored. All in the batch's transaction."""
    uow.facts.record_erasure(erasure.person, erasure.version)
    uow.facts.strip_contact(erasure.person, erasure.version)
    record(uow, f.erasure_fact(erasure))
