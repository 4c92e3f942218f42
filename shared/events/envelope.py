"""The CloudEvents 1.0 envelope (structured JSON mode) as an immutable, validated record."""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from shared import tracing
from shared.timeutil import now_rfc3339, parse_rfc3339

# W3C Trace Context: version-traceid-parentid-flags; anything else is dropped, never dead-lettered.
TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")


class InvalidEvent(ValueError):
    """A message that is not a valid Tandem CloudEvent; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Plain dicts and lists again, e.g. to store or serialise an event's data."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value


class _EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # CloudEvents extensions from other producers are allowed

    specversion = fields.String(required=True, validate=validate.Equal("1.0"))
    id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    source = fields.String(required=True, validate=validate.Length(min=1))
    type = fields.String(required=True)
    time = fields.String(required=True)
    subject = fields.String(required=True, validate=validate.Length(min=1))
    datacontenttype = fields.String(required=True, validate=validate.Equal("application/json"))
    data = fields.Dict(required=True)
    traceparent = fields.String(load_default=None, allow_none=True)


@dataclass(frozen=True)
class Event:
    """One CloudEvent; construct with `new_event` or `Event.from_json`, both validate."""

    id: str
    source: str
    type: str
    time: str
    subject: str
    data: Mapping[str, Any]
    specversion: str = "1.0"
    datacontenttype: str = "application/json"
    traceparent: str | None = None  # CloudEvents distributed-tracing extension (W3C Trace Context)

    @property
    def topic(self) -> str:
        return _event_type(self.type).topic.name

    @property
    def key(self) -> str:
        return self.subject

    def to_dict(self) -> dict[str, Any]:
        raw = {"specversion": self.specversion, "id": self.id, "source": self.source, "type": self.type,
               "time": self.time, "subject": self.subject, "datacontenttype": self.datacontenttype,
               "data": thaw(self.data)}
        if self.traceparent:
            raw["traceparent"] = self.traceparent
        return raw

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_dict(cls, raw: Any, *, strict_data: bool = False) -> Event:
        """Validate an envelope and its data against the type's schema."""
        if not isinstance(raw, Mapping):
            raise InvalidEvent("event is not a JSON object")
        try:
            envelope = _EnvelopeSchema().load(raw)
            parse_rfc3339(envelope["time"])
        except ValidationError as exc:
            raise InvalidEvent(f"invalid envelope: {exc.messages}") from exc
        except ValueError as exc:
            raise InvalidEvent(f"invalid envelope time: {exc}") from exc
        data = validate_data(envelope["type"], envelope["data"], strict=strict_data)
        key = data[_event_type(envelope["type"]).key_field]
        if envelope["subject"] != key:
            raise InvalidEvent(f"subject {envelope['subject']!r} is not the aggregate id {key!r}")
        traceparent = envelope.pop("traceparent", None)
        return cls(**{**envelope, "data": _freeze(data),
                      "traceparent": traceparent if TRACEPARENT.fullmatch(traceparent or "") else None})

    @classmethod
    def from_json(cls, payload: bytes | str) -> Event:
        try:
            raw = json.loads(payload)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidEvent(f"not JSON: {exc}") from exc
        return cls.from_dict(raw)


def _event_type(name: str):
    from shared.events.catalog import EVENT_TYPES

    try:
        return EVENT_TYPES[name]
    except (KeyError, TypeError):
        raise InvalidEvent(f"unknown event type {name!r}") from None


@functools.cache
def _schema(type_name: str, strict: bool) -> Schema:
    """One schema instance per type and mode: building one per event costs more than validating."""
    return _event_type(type_name).schema(unknown=RAISE if strict else EXCLUDE)


def validate_data(type_name: str, data: Any, *, strict: bool = True) -> dict[str, Any]:
    """Load `data` with its type's schema; producers are strict, consumers ignore unknown fields."""
    schema = _schema(type_name, strict)
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise InvalidEvent(f"invalid {type_name} data: {exc.messages}") from exc


def new_event(event_type: Any, data: Mapping[str, Any], *, source: str) -> Event:
    """A fresh, validated event (of a declared `EventType`, or its name) for the aggregate named in its data."""
    type_name = str(event_type)
    loaded = validate_data(type_name, thaw(data))
    key = loaded[_event_type(type_name).key_field]
    return Event(id=str(uuid.uuid4()), source=source, type=type_name, time=now_rfc3339(),
                 subject=str(key), data=_freeze(loaded), traceparent=tracing.current_traceparent())
