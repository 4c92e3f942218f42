"""The worker's report rounds on the in-memory stores: what they rebuild, and when."""

from __future__ import annotations

from datetime import date

import pytest

from services.analytics.use_cases.rebuilds import MAX_DELAY_SECONDS, Changes, ReportRebuilds, refresh_running
from tests.unit.analytics import builders as b
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import P


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def rebuilt(projected: Projected) -> set[str]:
    """The programs whose report was stored since the last look."""
    found, projected.reports.builds = set(projected.reports.builds), []
    return found


def test_the_first_round_rebuilds_every_program_then_only_what_changed():
    projected = Projected().apply(scenario.events() + [b.program("Q")])
    projected.changes.take()  # as after a restart: nothing noted, everything to catch up on
    rounds = ReportRebuilds(projected.unit_of_work, projected.changes, 2, clock=Clock())
    rounds.tick()
    assert rebuilt(projected) == {P, "Q"}
    rounds.tick()
    assert rebuilt(projected) == set()
    projected.apply([b.profile("N1", 3, department="Engineering", when=b.at(40))])  # a colleague of P's
    rounds.tick()
    assert rebuilt(projected) == {P}


def test_a_round_that_fails_leaves_its_changes_for_the_next():
    projected, store_away = Projected().apply(scenario.events()), []

    def unit_of_work():
        if store_away:
            store_away.pop()
            raise ConnectionError("the store is away")
        return projected.unit_of_work()

    rounds = ReportRebuilds(unit_of_work, projected.changes, 2, clock=Clock())
    rounds.tick()
    rebuilt(projected)
    projected.apply([b.program("Q")])
    store_away.append(True)
    with pytest.raises(ConnectionError):
        rounds.tick()
    rounds.tick()
    assert rebuilt(projected) == {"Q"}


def test_after_a_long_round_the_next_waits_twice_its_duration():
    projected, clock = Projected().apply(scenario.events()), Clock()

    def slow_unit_of_work():
        clock.now += 3.0  # this round takes three seconds
        return projected.unit_of_work()

    rounds = ReportRebuilds(slow_unit_of_work, projected.changes, 2, clock=clock)
    rounds.tick()
    rebuilt(projected)
    projected.apply([b.program("Q")])
    clock.now = 8.0
    rounds.tick()
    assert rebuilt(projected) == set()  # the store is the consumer's until 3 + 2 × 3 s
    clock.now = 9.0
    rounds.tick()
    assert rebuilt(projected) == {"Q"}


def test_while_facts_keep_arriving_a_round_waits_for_a_quiet_second_or_at_most_the_max_delay():
    clock, projected = Clock(), Projected()
    projected.changes = Changes(clock=clock)
    rounds = ReportRebuilds(projected.unit_of_work, projected.changes, 2, quiet_seconds=1.0, clock=clock)
    rounds.tick()  # the first round, with nothing to build yet
    found: set[str] = set()
    for second in range(1, 60):  # a new program every second, as during a replay: never a quiet second
        clock.now = float(second)
        projected.apply([b.program(f"Q{second}")])
        rounds.tick()
        if found := rebuilt(projected):
            break
    assert second == 1 + MAX_DELAY_SECONDS and len(found) == second
    projected.apply([b.program("R")])
    rounds.tick()
    assert rebuilt(projected) == set()
    clock.now += 1.0  # a quiet second
    rounds.tick()
    assert rebuilt(projected) == {"R"}


def test_reports_of_running_programs_are_refreshed_as_time_passes_without_any_fact():
    projected = Projected().apply(scenario.events() + [b.program("OLD", "2024-01-01", "2024-06-30")])
    clock = Clock()
    rounds = ReportRebuilds(projected.unit_of_work, projected.changes, 2, clock=clock)
    rounds.tick()
    assert rebuilt(projected) == {P, "OLD"}
    clock.now += 600
    assert refresh_running(projected.unit_of_work(), projected.changes, date(2025, 4, 20)) == {P}
    rounds.tick()
    assert rebuilt(projected) == {P}  # P runs until August; OLD ended last year
    assert refresh_running(projected.unit_of_work(), projected.changes, date(2025, 9, 1)) == set()
    clock.now += 600
    rounds.tick()
    assert rebuilt(projected) == set()
