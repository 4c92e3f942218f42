"""CloudEvents envelope, event schemas and the topic table shared by every service."""

from shared.events.envelope import Event, InvalidEvent, new_event
from shared.events.topics import DLQ_SUFFIX, EVENT_TYPES, TOPICS, dlq_topic

__all__ = ["DLQ_SUFFIX", "EVENT_TYPES", "TOPICS", "Event", "InvalidEvent", "dlq_topic", "new_event"]
