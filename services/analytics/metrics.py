"""Per-program business gauges for Prometheus, set by the worker from the built reports."""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from datetime import datetime, timedelta

from prometheus_client import Gauge

from services.analytics.adapters.reports import MongoReports
from services.analytics.domain.gauges import gauge_programs, gauge_values
from services.analytics.settings import AnalyticsSettings
from shared.timeutil import utcnow

# "mostrecent": under PROMETHEUS_MULTIPROC_DIR the value last written by any process is the one shown.
GAUGES = {
    "active_mentorships": Gauge("tandem_program_active_mentorships", "Active mentorships per program",
                                ["program"], multiprocess_mode="mostrecent"),
    "sessions_completed": Gauge("tandem_program_sessions_completed", "Completed sessions per program",
                                ["program"], multiprocess_mode="mostrecent"),
    "goal_completion_ratio": Gauge("tandem_program_goal_completion_ratio",
                                   "Completed program goals / program goals", ["program"],
                                   multiprocess_mode="mostrecent"),
    "average_rating": Gauge("tandem_program_average_rating", "Average feedback rating (1-5) per program",
                            ["program"], multiprocess_mode="mostrecent"),
}


class ProgramGauges:
    """Keeps the gauges in line with the reports of the programs chosen by `gauge_programs`."""

    def __init__(self, reports: MongoReports, settings: AnalyticsSettings, clock: Callable[[], datetime] = utcnow):
        self._reports, self._settings, self._clock = reports, settings, clock
        self._shown: set[str] = set()

    def refresh(self) -> None:
        today, recent = self._clock().date(), self._settings.gauge_recent_days
        reports = self._reports.ending_since((today - timedelta(days=recent)).isoformat(), ["program", "summary"])
        chosen = gauge_programs(reports, today, recent, self._settings.gauge_max_programs)
        for report in chosen:
            for name, value in gauge_values(report.get("summary") or {}).items():
                GAUGES[name].labels(report["_id"]).set(value)
        shown = {r["_id"] for r in chosen}
        for program_id in self._shown - shown:
            self._drop(program_id)
        self._shown = shown

    @staticmethod
    def _drop(program_id: str) -> None:
        for gauge in GAUGES.values():
            if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
                gauge.labels(program_id).set(math.nan)  # multiprocess files cannot forget a label set
            else:
                gauge.remove(program_id)
