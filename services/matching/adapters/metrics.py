"""The matching service's own Prometheus metrics (the shared ones live in shared.metrics)."""

from prometheus_client import Histogram

RUN_DURATION = Histogram("tandem_matching_run_duration_seconds", "Time from a matching run's start to its completion",
                         buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800))
