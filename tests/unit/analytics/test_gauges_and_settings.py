"""The bounded set of programs with Prometheus gauges, their values, and the ANALYTICS_* settings."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

from services.analytics.domain.gauges import gauge_programs, gauge_values
from services.analytics.settings import AnalyticsSettings
from services.analytics.use_cases.gauges import ProgramGauges
from services.analytics.use_cases.reports import rebuild_all
from shared.config import load_config
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import InMemoryGauges, Projected
from tests.unit.analytics.scenario import AS_OF, P


def report(pid: str, starts: str | None, ends: str | None) -> dict:
    return {"_id": pid, "program": {"starts_on": starts, "ends_on": ends}}


def test_only_running_or_recently_ended_programs_and_at_most_the_limit():
    reports = [report("old", "2024-01-01", "2024-06-30"), report("recent", "2025-01-01", "2025-03-20"),
               report("now", "2025-02-01", "2025-12-31"), report("future", "2025-09-01", "2025-12-31"),
               report("unknown", None, None)]
    chosen = [r["_id"] for r in gauge_programs(reports, date(2025, 4, 1), 30, 10)]
    assert chosen == ["now", "recent", "unknown"]
    assert [r["_id"] for r in gauge_programs(reports, date(2025, 4, 1), 30, 2)] == ["now", "recent"]


def test_gauge_values_use_nan_for_undefined_ratios():
    values = gauge_values({"active_mentorships": 2, "sessions_completed": 7, "goal_completion_rate": None,
                           "average_feedback_rating": 4.25})
    assert values["active_mentorships"] == 2.0 and values["average_rating"] == 4.25
    assert math.isnan(values["goal_completion_ratio"])


def test_the_gauges_job_shows_the_current_programs_and_drops_one_that_ended_long_ago():
    uow = Projected().apply(scenario.events()).unit_of_work()
    rebuild_all(uow, 2, clock=lambda: AS_OF)
    now, board = [AS_OF], InMemoryGauges()
    gauges = ProgramGauges(board, recent_days=30, max_programs=10, clock=lambda: now[0])
    gauges.refresh(uow)
    assert board.shown == {P: {"active_mentorships": 2.0, "sessions_completed": 4.0,
                               "goal_completion_ratio": 0.3333, "average_rating": 4.0}}
    now[0] = datetime(2025, 10, 15, tzinfo=UTC)  # P ended on 31 August
    gauges.refresh(uow)
    assert board.shown == {}


def test_settings_from_environment_and_overrides():
    config = load_config("analytics", environ={})
    assert AnalyticsSettings.load(config, environ={}).consumer_group == "analytics"
    loaded = AnalyticsSettings.load(config.with_overrides({"gauge_max_programs": 3}),
                                    environ={"ANALYTICS_CONSUMER_GROUP": "rebuild-1",
                                             "ANALYTICS_GAUGE_EVERY_SECONDS": "2.5"})
    assert (loaded.consumer_group, loaded.gauge_every_seconds, loaded.gauge_max_programs) == ("rebuild-1", 2.5, 3)
