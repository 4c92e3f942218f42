"""Prometheus metrics shared by all services; multiprocess-safe under gunicorn."""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

HTTP_REQUESTS = Counter("tandem_http_requests_total", "HTTP requests served",
                        ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram("tandem_http_request_duration_seconds", "HTTP request latency",
                         ["service", "route"])
EVENTS_HANDLED = Counter("tandem_events_handled_total", "Events taken off Kafka",
                         ["service", "topic", "type", "outcome"])
DLQ_MESSAGES = Counter("tandem_dlq_messages_total", "Messages sent to a dead-letter topic",
                       ["service", "topic"])
CONSUMER_LAG = Gauge("tandem_consumer_lag", "Messages behind the end of the partition",
                     ["service", "topic", "partition"], multiprocess_mode="max")
OUTBOX_PENDING = Gauge("tandem_outbox_pending", "Aggregates with events not yet on Kafka",
                       ["service"], multiprocess_mode="max")
EVENTS_PUBLISHED = Counter("tandem_events_published_total", "Events published from the outbox",
                           ["service", "topic"])


def registry() -> CollectorRegistry:
    """The registry to expose: all gunicorn workers' files in multiprocess mode, else the default."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
        return collected
    from prometheus_client import REGISTRY

    return REGISTRY


def exposition() -> tuple[bytes, str]:
    return generate_latest(registry()), CONTENT_TYPE_LATEST
