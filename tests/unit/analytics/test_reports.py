"""Reports: built by the worker from facts, served by the API, computed live only until one exists."""

from __future__ import annotations

import pytest

from services.analytics.use_cases.rebuilds import Changes
from services.analytics.use_cases.reports import program_report, rebuild_all, stale_programs
from shared.errors import NotFound
from tests.unit.analytics import builders as b
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, EXPECTED_SUMMARY, P


def test_the_api_serves_the_built_report_and_computes_one_live_before_that():
    projected = Projected().apply(scenario.events())
    uow = projected.unit_of_work()
    live = program_report(uow, P, 2, clock=lambda: AS_OF)
    assert live["summary"] == EXPECTED_SUMMARY and projected.reports.get(P) is None
    assert rebuild_all(uow, 2, clock=lambda: AS_OF) == 1
    stored = program_report(uow, P, 2)  # served as built, whatever the clock says now
    assert {k: v for k, v in stored.items() if k not in ("_id", "started")} == live


def test_a_program_nobody_has_heard_of_is_not_found():
    with pytest.raises(NotFound):
        program_report(Projected().apply(scenario.people()).unit_of_work(), "nope", 5)


def test_changes_collect_programs_and_people_until_taken():
    projected = Projected()
    projected.apply(scenario.program()[:2])  # the program and M1's enrollment
    assert projected.changes.take() == ({P}, {projected.pseudonymise("M1")})
    projected.apply(scenario.people()[:1])
    assert projected.changes.take() == (set(), {projected.pseudonymise("M1")})
    assert Changes().take() == (set(), set())


def test_a_persons_change_makes_stale_only_the_programs_they_take_part_in_or_compare_with():
    others = [b.program("Q"), b.profile("Q1", department="Sales"), b.enrollment("Q", "Q1", "mentee")]
    projected = Projected().apply(scenario.events() + others)
    uow, person = projected.unit_of_work(), projected.pseudonymise
    rebuild_all(uow, 2, clock=lambda: AS_OF)
    assert stale_programs(uow, set(), {person("A")}) == {P}  # takes part in P
    assert stale_programs(uow, set(), {person("N1")}) == {P}  # an Engineering colleague
    assert stale_programs(uow, set(), {person("S9")}) == {"Q"}  # Sales: compared in Q
    assert stale_programs(uow, {"Q"}, set()) == {"Q"}


def test_a_report_stored_by_an_older_release_is_computed_afresh_until_rebuilt():
    projected = Projected().apply(scenario.events())
    uow = projected.unit_of_work()
    projected.reports.save(P, {"program": {"program_id": P}, "summary": {"stale": True}}, "2025-01-01")
    served = program_report(uow, P, 2, clock=lambda: AS_OF)
    assert served["summary"] == EXPECTED_SUMMARY and served["at_risk"][0]["mentorship_id"] == "X1"
