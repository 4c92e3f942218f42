"""The per-program business gauges in Prometheus, as the gauges job sets them from the built reports."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

from prometheus_client import Gauge

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


class PrometheusGauges:
    """The gauge board: one label set per shown program."""

    def show(self, program_id: str, values: Mapping[str, float]) -> None:
        for name, value in values.items():
            GAUGES[name].labels(program_id).set(value)

    def drop(self, program_id: str) -> None:
        for gauge in GAUGES.values():
            if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
                gauge.labels(program_id).set(math.nan)  # multiprocess files cannot forget a label set
            else:
                gauge.remove(program_id)
