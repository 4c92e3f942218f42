"""Time bucketing: UTC weeks from Monday, calendar months, gaps filled, averages per period."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.analytics.domain.timeseries import bucket, next_bucket, periods, series
from tests.unit.analytics import scenario
from tests.unit.analytics.fakes import Projected
from tests.unit.analytics.scenario import AS_OF, P

FACTS = Projected().apply(scenario.events()).facts(P)


def values(metric: str, interval: str) -> list:
    return [(p["period_start"], p["value"]) for p in series(FACTS, metric, interval, AS_OF)]


def test_weeks_start_on_monday_in_utc_and_months_on_the_first():
    sunday_late = datetime(2025, 3, 23, 23, 59, tzinfo=UTC)
    assert bucket(sunday_late, "week") == date(2025, 3, 17)
    assert bucket(datetime(2025, 3, 24, 0, 0, tzinfo=UTC), "week") == date(2025, 3, 24)
    assert bucket(sunday_late, "month") == date(2025, 3, 1)
    assert next_bucket(date(2024, 12, 1), "month") == date(2025, 1, 1)
    assert periods(date(2024, 11, 1), date(2025, 2, 1), "month")[-1] == date(2025, 2, 1)


def test_sessions_per_week_from_the_program_start_to_now_with_empty_weeks():
    assert values("sessions_completed", "week") == [
        ("2025-02-24", 0), ("2025-03-03", 0), ("2025-03-10", 2), ("2025-03-17", 2), ("2025-03-24", 0),
        ("2025-03-31", 0), ("2025-04-07", 0), ("2025-04-14", 0)]


def test_monthly_counts_and_averages():
    assert values("sessions_completed", "month") == [("2025-03-01", 4), ("2025-04-01", 0)]
    assert values("goals_completed", "month") == [("2025-03-01", 1), ("2025-04-01", 0)]
    assert values("feedback_count", "month") == [("2025-03-01", 4), ("2025-04-01", 0)]
    assert values("mentorships_started", "week")[1] == ("2025-03-03", 3)


def test_average_rating_per_week_is_empty_where_nobody_rated():
    weekly = dict(values("average_feedback_rating", "week"))
    assert weekly["2025-03-10"] == 4.0 and weekly["2025-03-17"] == 4.0  # (5 + 3) / 2 and (4 + 4) / 2
    assert weekly["2025-03-03"] is None


def test_unknown_program_without_data_has_no_points():
    assert series(Projected().facts("nothing"), "sessions_completed", "week", AS_OF) == []
