"""The notifications service's own Prometheus metrics."""

from prometheus_client import Counter

# outcome: delivered | failed | retried | held — no recipient ids as labels
NOTIFICATIONS = Counter("tandem_notifications_total", "Notification deliveries by channel and outcome",
                        ["channel", "outcome"])


def count(channel: str, outcome: str) -> None:
    NOTIFICATIONS.labels(channel, outcome).inc()
