"""Six months of backfilled history, written today: every figure and chart places it in the past.

The history (tests/integration/analytics/history.py) carries its moments in the events' data, and
`backfilled: true`; each event's CloudEvents `time` is the moment it was written, i.e. today.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from services.analytics.domain.report import build_report
from tests.integration.analytics import history as h
from tests.unit.analytics.fakes import Projected

NOW = datetime(2025, 9, 17, 15, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture(scope="module")
def history() -> h.History:
    return h.build("six", now=NOW)


@pytest.fixture(scope="module")
def report(history) -> dict:
    written = {e.time[:10] for e in history.events}
    assert written == {datetime.now(UTC).date().isoformat()}  # every event was written today...
    return build_report(Projected().apply(history.events, batch=50).facts(history.program_id), 5, NOW)


def monday(moment: datetime) -> str:
    return (moment.date() - timedelta(days=moment.weekday())).isoformat()


def test_sessions_per_week_spread_over_the_six_months_they_were_held(history, report):
    weekly = report["timeseries"]["week"]["sessions_completed"]
    assert weekly[0]["period_start"] == monday(history.starts) and weekly[-1]["period_start"] == monday(NOW)
    assert len(weekly) == 27  # ...and lands in the weeks it happened: from the program's start to now
    held = Counter(monday(done) for done in history.completed_sessions)
    assert {p["period_start"]: p["value"] for p in weekly if p["value"]} == dict(held)
    assert sum(1 for p in weekly if p["value"]) >= 20 and report["summary"]["sessions_completed"] == sum(held.values())


def test_waves_of_matching_and_the_median_wait(history, report):
    weekly = report["timeseries"]["week"]["mentorships_started"]
    busy = {n for n, p in enumerate(weekly) if p["value"]}  # weeks since the program's first week
    bursts = [{w, w + 1, w + 2} for w in sorted(set(h.WAVES))]  # each wave is matched within 2 weeks
    assert all(busy & burst for burst in bursts) and busy <= set().union(*bursts)
    assert report["summary"]["median_hours_to_match"] == history.median_hours_to_match()
    assert sum(w["mentees"] for w in report["match_waits"]) == len(history.hours_to_match)
    declined_and_rematched = [w for w in report["match_waits"] if w["waited"] == "4+ weeks"]
    assert declined_and_rematched == [{"waited": "4+ weeks", "mentees": 1}]


def test_goals_complete_over_the_months_not_on_the_day_they_were_written(history, report):
    assert report["summary"]["goals_completed"] == history.goals_completed > 0
    completed = [p for p in report["timeseries"]["week"]["goals_completed"] if p["value"]]
    assert sum(p["value"] for p in completed) == history.goals_completed
    assert len(completed) > 1 and completed[0]["period_start"] < monday(NOW)


def test_outcomes_compare_both_groups_over_the_programs_dates(history, report):
    outcomes = report["outcomes"]
    assert outcomes["window"]["from"].startswith(history.starts.date().isoformat())
    participants = {k: outcomes["participants"][k] for k in ("people", "promoted", "left", "suppressed")}
    colleagues = {k: outcomes["non_participants"][k] for k in ("people", "promoted", "left", "suppressed")}
    assert participants == {"people": 36, "promoted": 6, "left": 1, "suppressed": False}
    assert colleagues == {"people": 21, "promoted": 2, "left": 3, "suppressed": False}


def test_the_pairs_that_went_quiet_or_rated_low_are_at_risk(history, report):
    found = {p["mentorship_id"]: {s["signal"] for s in p["signals"]} for p in report["at_risk"]}
    assert found == history.at_risk
    quiet = [p for p in report["at_risk"] if "no_session_for_days" in {s["signal"] for s in p["signals"]}]
    assert all(40 <= p["days_without_session"] <= 61 for p in quiet)
