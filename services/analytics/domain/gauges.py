"""Which programs get Prometheus gauges (a bounded label set) and the values they show."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from services.analytics.domain.times import day


def gauge_programs(reports: Iterable[Mapping[str, Any]], today: date, recent_days: int,
                   limit: int) -> list[Mapping[str, Any]]:
    """Programs running now or ended within `recent_days`, latest start first, at most `limit` of them."""
    def current(report: Mapping[str, Any]) -> bool:
        program = report.get("program") or {}
        starts, ends = day(program.get("starts_on")), day(program.get("ends_on"))
        return (starts is None or starts <= today) and (ends is None or ends >= today - timedelta(days=recent_days))

    chosen = [r for r in reports if current(r)]
    chosen.sort(key=lambda r: ((r.get("program") or {}).get("starts_on") or "", r["_id"]), reverse=True)
    return chosen[:limit]


def gauge_values(summary: Mapping[str, Any]) -> dict[str, float]:
    """The four business gauges of one program (NaN where a ratio has nothing to divide by)."""
    def number(value: Any) -> float:
        return math.nan if value is None else float(value)

    return {"active_mentorships": number(summary.get("active_mentorships")),
            "sessions_completed": number(summary.get("sessions_completed")),
            "goal_completion_ratio": number(summary.get("goal_completion_rate")),
            "average_rating": number(summary.get("average_feedback_rating"))}
