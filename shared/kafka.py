"""Kafka plumbing: an ordered, acknowledged producer and topic provisioning."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterable, Sequence

from kafka import KafkaProducer
from kafka.admin import ConfigResource, ConfigResourceType, KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from shared import tracing
from shared.events import Event, Topic, dlq_topic
from shared.metrics import EVENTS_PUBLISHED

log = logging.getLogger(__name__)


def make_producer(servers: Sequence[str], *, client_id: str) -> KafkaProducer:
    """acks=all and one request in flight per connection, so a key's events stay in order."""
    return KafkaProducer(bootstrap_servers=list(servers), client_id=client_id, acks="all",
                         retries=5, max_in_flight_requests_per_connection=1, linger_ms=5,
                         max_block_ms=5000, request_timeout_ms=10000, retry_backoff_ms=200)


class EventPublisher:
    """Publishes events in order; reports which ones the broker acknowledged."""

    def __init__(self, producer: KafkaProducer, *, service: str, timeout_seconds: float = 15.0):
        self._producer, self._service, self._timeout = producer, service, timeout_seconds

    def __call__(self, events: Sequence[Event]) -> set[str]:
        futures = []
        for event in events:
            try:
                futures.append((event, self._send(event)))
            except KafkaError as exc:  # broker unreachable: stop here, keep the rest for later
                log.warning("publish stopped at %s: %s", event.id, exc)
                break
        self._producer.flush(timeout=self._timeout)
        return {event.id for event, future in futures if self._acked(event, future)}

    def _send(self, event: Event):
        headers = [("traceparent", event.traceparent.encode())] if event.traceparent else None
        with tracing.span(f"{event.topic} publish", parent=event.traceparent, kind="producer",
                          attributes={"messaging.system": "kafka", "messaging.destination.name": event.topic,
                                      "messaging.message.id": event.id, "cloudevents.event_type": event.type}):
            return self._producer.send(event.topic, key=event.key.encode(), value=event.to_json(), headers=headers)

    def _acked(self, event: Event, future) -> bool:
        try:
            future.get(timeout=0)
        except Exception as exc:  # not acknowledged: the outbox keeps it
            log.warning("event %s not acknowledged: %s", event.id, exc)
            return False
        EVENTS_PUBLISHED.labels(self._service, event.topic).inc()
        return True


def ensure_topics(servers: Sequence[str], topics: Iterable[Topic | str], *, partitions: int = 3,
                  replication: int = 1, with_dlq: bool = True) -> None:
    """Create the topics (and their dead-letter twins) if they do not exist yet, with their declared
    settings; a topic that exists with other settings (e.g. made before it was compacted) is altered."""
    wanted = {t.name: dict(t.configs) for t in (_topic(x) for x in topics)}
    if with_dlq:
        wanted |= {dlq_topic(name): {} for name in list(wanted)}
    admin = KafkaAdminClient(bootstrap_servers=list(servers), client_id="tandem-provision")
    try:
        existing = set(admin.list_topics())
        missing = [NewTopic(n, partitions, replication, topic_configs=c or None) for n, c in wanted.items()
                   if n not in existing]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another replica won the race
        _align_configs(admin, {n: c for n, c in wanted.items() if n in existing and c})
    finally:
        admin.close()


def _topic(topic: Topic | str) -> Topic:
    return topic if isinstance(topic, Topic) else Topic(topic, "", "")


def _align_configs(admin: KafkaAdminClient, wanted: dict[str, dict[str, str]]) -> None:
    if not wanted:
        return
    resources = [ConfigResource(ConfigResourceType.TOPIC, name, configs=dict.fromkeys(configs))
                 for name, configs in wanted.items()]  # the keys to describe (none named: none described)
    described = admin.describe_configs(resources, config_filter="all").get("topic", {})  # {name: {key: {value}}}
    current = {name: {key: entry.get("value") for key, entry in configs.items()}
               for name, configs in described.items()}
    stale = [ConfigResource(ConfigResourceType.TOPIC, name, configs=configs) for name, configs in wanted.items()
             if any(current.get(name, {}).get(k) != v for k, v in configs.items())]
    if stale:
        log.info("aligning topic settings of %s", ", ".join(r.name for r in stale))
        admin.alter_configs(stale)


def broker_reachable(servers: Sequence[str], timeout: float = 1.0) -> bool:
    """A cheap readiness probe: can we open a TCP connection to a bootstrap server?"""
    for server in servers:
        host, _, port = server.rpartition(":")
        try:
            with socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=timeout):
                return True
        except (OSError, ValueError):
            continue
    return False
