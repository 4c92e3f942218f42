"""Reports: built by the worker from facts, served by the API, computed live only until one exists."""

from __future__ import annotations

import pytest

from services.analytics.projection import Changes
from services.analytics.reports import ReportBuilder, ReportService
from shared.errors import NotFound
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, EXPECTED_SUMMARY, P


def test_the_api_serves_the_built_report_and_computes_one_live_before_that():
    projected = Projected().apply(scenario.events())
    live = ReportService(projected.repo, 2, clock=lambda: AS_OF).report(P)
    assert live["summary"] == EXPECTED_SUMMARY and projected.repo.report(P) is None
    assert ReportBuilder(projected.repo, 2, clock=lambda: AS_OF).build_all() == 1
    stored = ReportService(projected.repo, 2).report(P)  # served as built, whatever the clock says now
    assert {k: v for k, v in stored.items() if k not in ("_id", "started")} == live


def test_a_program_nobody_has_heard_of_is_not_found():
    with pytest.raises(NotFound):
        ReportService(Projected().apply(scenario.people()).repo, 5).report("nope")


def test_changes_collect_programs_until_taken():
    projected = Projected()
    projected.apply(scenario.program()[:2])
    assert projected.changes.take() == ({P}, False)
    projected.apply(scenario.people()[:1])
    assert projected.changes.take() == (set(), True)
    assert Changes().take() == (set(), False)
