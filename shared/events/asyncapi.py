"""The AsyncAPI 3.0 document of the bus, generated from the schemas that validate it.

    python -m shared.events.asyncapi > docs/asyncapi.yaml      (`make asyncapi`)

Nothing here is written by hand beside the code: topics and their keys and settings come from
`shared.events.catalog`, who sends and receives what from `shared.topology`, each message's `data`
from the same marshmallow schema producers and consumers validate with (converted by apispec, as
the HTTP APIs' OpenAPI documents are). Every service serves it at `GET /asyncapi.json`.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from shared.events.catalog import EVENT_TYPES, TOPICS_DECLARED, EventType, Topic
from shared.topology import TOPOLOGY

KAFKA_BINDING = "0.5.0"


def message_name(event_type: EventType) -> str:
    """`mentoring.goal.completed` -> `GoalCompleted`."""
    return "".join(part.title().replace("_", "") for part in event_type.name.split(".")[1:])


def channel_name(topic: Topic) -> str:
    """`mentoring.profiles` -> `profiles`."""
    return topic.name.split(".", 1)[1]


def data_schemas() -> dict[str, Any]:
    """JSON Schemas of every event's `data` (and what they nest), keyed by schema name."""
    spec = APISpec("tandem-events", "1", "3.1.0", plugins=[MarshmallowPlugin()])
    for schema in dict.fromkeys(t.schema for t in EVENT_TYPES.values()):
        spec.components.schema(schema.__name__, schema=schema)
    return spec.to_dict()["components"]["schemas"]


def envelope(event_type: EventType) -> dict[str, Any]:
    """The CloudEvents 1.0 structured-mode envelope of one type, its `data` by reference."""
    text = {"type": "string", "minLength": 1}
    return {
        "type": "object",
        "required": ["specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {**text, "maxLength": 128, "description": "unique per event (a UUID); consumers dedupe on it"},
            "source": {**text, "examples": ["/tandem/profiles"]},
            "type": {"const": event_type.name},
            "time": {"type": "string", "format": "date-time", "description": "RFC 3339, UTC"},
            "subject": {**text, "description": f"the aggregate id: data.{event_type.key_field}"},
            "datacontenttype": {"const": "application/json"},
            "traceparent": {"type": "string", "description": "W3C Trace Context of the request that caused it"},
            "data": {"$ref": f"#/components/schemas/{event_type.schema.__name__}"},
        },
    }


def message(event_type: EventType) -> dict[str, Any]:
    return {"name": event_type.name, "title": event_type.name, "summary": event_type.summary,
            "contentType": "application/json", "payload": envelope(event_type),
            "bindings": {"kafka": {"key": {"type": "string", "description": event_type.key_field},
                                   "bindingVersion": KAFKA_BINDING}}}


def channel(topic: Topic) -> dict[str, Any]:
    types = [t for t in EVENT_TYPES.values() if t.topic == topic]
    binding: dict[str, Any] = {"topic": topic.name, "bindingVersion": KAFKA_BINDING}
    if topic.configs:
        binding["topicConfiguration"] = _topic_configuration(topic)
    return {"address": topic.name, "title": topic.name,
            "description": f"{topic.description} Keyed by `{topic.key_field}`; poison messages go to "
                           f"`{topic.dlq}` with the reason in the `x-tandem-reason` header.",
            "messages": {message_name(t): {"$ref": f"#/components/messages/{message_name(t)}"} for t in types},
            "bindings": {"kafka": binding}}


def _topic_configuration(topic: Topic) -> dict[str, Any]:
    known = {"cleanup.policy": lambda v: v.split(","), "delete.retention.ms": int, "retention.ms": int}
    return {key: convert(topic.configs[key]) for key, convert in known.items() if key in topic.configs}


def operations() -> dict[str, Any]:
    """What each service sends and receives (shared.topology), one operation per service and topic."""
    found: dict[str, Any] = {}
    for service in TOPOLOGY.values():
        for action, topics in (("send", service.publishes), ("receive", service.consumes)):
            for topic in topics:
                name = f"{service.service}{action.title()}{channel_name(topic).title()}"
                ref = f"#/channels/{channel_name(topic)}"
                found[name] = {"action": action, "channel": {"$ref": ref},
                               "summary": f"{service.service} {action}s {topic.name}",
                               "messages": [{"$ref": f"{ref}/messages/{message_name(t)}"}
                                            for t in EVENT_TYPES.values() if t.topic == topic]}
    return found


@functools.cache
def document() -> dict[str, Any]:
    """The whole AsyncAPI 3.0 document."""
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Tandem events", "version": "1.0.0",
                 "description": "Every event the Tandem mentoring suite publishes on Kafka: CloudEvents 1.0 in "
                                "structured JSON mode, keyed by the aggregate id so one aggregate's events stay in "
                                "order. Private texts (session notes, feedback comments, goal descriptions) never "
                                "travel on the bus. Delivery is at least once; consumers dedupe on the event id.",
                 "license": {"name": "Apache-2.0"}},
        "defaultContentType": "application/json",
        "servers": {"kafka": {"host": "kafka:9092", "protocol": "kafka",
                              "description": "Your cluster (KAFKA_BOOTSTRAP_SERVERS)"}},
        "channels": {channel_name(t): channel(t) for t in TOPICS_DECLARED},
        "operations": operations(),
        "components": {"messages": {message_name(t): message(t) for t in EVENT_TYPES.values()},
                       "schemas": data_schemas()},
    }


def main() -> int:
    import yaml  # a development dependency: the make target writes YAML, the services serve JSON

    if sys.argv[1:] == ["--json"]:
        json.dump(document(), sys.stdout, indent=2)
    else:
        yaml.safe_dump(document(), sys.stdout, sort_keys=False, allow_unicode=True, width=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
