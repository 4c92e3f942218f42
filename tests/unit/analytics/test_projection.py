"""The consumer's use case on the in-memory stores: facts are written at the batch's flush and make
reports stale only once the batch has committed."""

from __future__ import annotations

from services.analytics.domain import facts as f
from services.analytics.use_cases import projection
from tests.unit.analytics import builders as b
from tests.unit.analytics.fakes import Projected


def test_a_fact_is_written_at_the_flush_and_its_report_goes_stale_only_after_the_commit():
    projected = Projected()
    uow = projected.unit_of_work()
    projection.record(uow, f.program_fact(b.program("P")))
    assert projected.repo.kinds["programs"] == {} and projected.changes.take() == (set(), set())
    uow.commit()
    assert "P" in projected.repo.kinds["programs"] and projected.changes.take() == ({"P"}, set())


def test_a_fact_seen_again_keeps_what_was_first_written():
    projected = Projected().apply([b.program("P", ends_on="2025-08-31")])
    projected.apply([b.program("P", ends_on="2026-12-31")])  # a program.created again: not a change
    assert projected.repo.kinds["programs"]["P"]["ends_on"] == "2025-08-31"
