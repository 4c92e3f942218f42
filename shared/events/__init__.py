"""CloudEvents envelope, event schemas and the declared catalogue of topics and types."""

from shared.events.catalog import DLQ_SUFFIX, EVENT_TYPES, TOPICS, EventType, Topic, dlq_topic, type_name
from shared.events.envelope import Event, InvalidEvent, new_event

__all__ = ["DLQ_SUFFIX", "EVENT_TYPES", "TOPICS", "Event", "EventType", "InvalidEvent", "Topic", "dlq_topic",
           "new_event", "type_name"]
