"""A program's whole report — summary, breakdowns, time series, ratings, outcomes, match waits, mentor
load, pairs at risk — computed at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.analytics.domain.at_risk import pairs_at_risk
from services.analytics.domain.distributions import match_waits, mentor_load
from services.analytics.domain.groups import DIMENSIONS, breakdown
from services.analytics.domain.kpis import rating_distribution, summary
from services.analytics.domain.outcomes import outcomes
from services.analytics.domain.state import ProgramFacts
from services.analytics.domain.timeseries import INTERVALS, METRICS, series
from shared.timeutil import to_rfc3339

# The shape of a stored report: one built by an older release is computed afresh instead of served.
REPORT_FORMAT = 2


def program_info(facts: ProgramFacts) -> dict[str, Any]:
    program = facts.program or {}
    return {"program_id": facts.program_id, "name": program.get("name"), "starts_on": program.get("starts_on"),
            "ends_on": program.get("ends_on"), "checkin_every_days": program.get("checkin_every_days"),
            "known": facts.program is not None}


def build_report(facts: ProgramFacts, min_size: int, as_of: datetime) -> dict[str, Any]:
    """Everything the API and the dashboard show about one program, as of `as_of`."""
    return {
        "format": REPORT_FORMAT,
        "program": program_info(facts),
        "as_of": to_rfc3339(as_of),
        "min_group_size": min_size,
        "summary": summary(facts, as_of),
        "breakdown": {by: breakdown(facts, by, min_size, as_of) for by in DIMENSIONS},
        "timeseries": {interval: {metric: series(facts, metric, interval, as_of) for metric in METRICS}
                       for interval in INTERVALS},
        "rating_distribution": rating_distribution(facts),
        "outcomes": outcomes(facts, min_size, as_of),
        "match_waits": match_waits(facts),
        "mentor_load": mentor_load(facts),
        "at_risk": pairs_at_risk(facts, as_of),
    }
