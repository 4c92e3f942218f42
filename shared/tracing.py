"""Distributed traces (OpenTelemetry, W3C Trace Context): one trace from an HR push to a manager's email.

On only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, exported
over OTLP/HTTP; every other standard `OTEL_*` variable (service name, sampler, batch delays) works as
the SDK documents. Off, nothing is imported or installed and every helper here is a no-op, so tracing
costs nothing.

The context travels HTTP request -> the event it caused (the CloudEvents `traceparent` extension,
kept in the outbox) -> Kafka (the `traceparent` header) -> the consumer's span -> whatever that
handler causes (its own events, a notification, and later the email or webhook sent for it).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

_state: dict[str, Any] = {"on": False}


def wanted(environ: Mapping[str, str] = os.environ) -> bool:
    endpoint = environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    return bool(endpoint) and environ.get("OTEL_SDK_DISABLED", "").lower() != "true"


def enabled() -> bool:
    return _state["on"]


def setup(service: str, wanted_here: bool, environ: Mapping[str, str] = os.environ) -> None:
    """Start exporting this process's spans (call after forking: the batch exporter runs a thread)."""
    if _state["on"] or not wanted_here:
        return
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = environ.get("OTEL_SERVICE_NAME") or f"tandem-{service}"
    provider = TracerProvider(resource=Resource.create({"service.name": name, "service.namespace": "tandem"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    PymongoInstrumentor().instrument()
    RequestsInstrumentor().instrument()
    _state.update(on=True, provider=provider, tracer=trace.get_tracer("tandem"))


def instrument_app(app) -> None:
    """Server spans for a Flask app, continuing a caller's `traceparent` header."""
    if _state["on"]:
        from opentelemetry.instrumentation.flask import FlaskInstrumentor

        FlaskInstrumentor().instrument_app(app, excluded_urls="healthz,readyz,metrics")


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the active span, to stamp on an event or a stored notification."""
    if not _state["on"]:
        return None
    from opentelemetry.propagate import inject

    carrier: dict[str, str] = {}
    inject(carrier)
    return carrier.get("traceparent")


@contextlib.contextmanager
def span(name: str, *, parent: str | None = None, kind: str = "internal",
         attributes: Mapping[str, Any] | None = None) -> Iterator[None]:
    """A span, the child of `parent` (a traceparent) when given, else of the active span."""
    if not _state["on"]:
        yield
        return
    from opentelemetry.propagate import extract
    from opentelemetry.trace import SpanKind

    context = extract({"traceparent": parent}) if parent else None
    with _state["tracer"].start_as_current_span(name, context=context, kind=SpanKind[kind.upper()],
                                                attributes=dict(attributes or {})):
        yield


def shutdown() -> None:
    """Flush what is buffered (a worker stopping on SIGTERM)."""
    if _state["on"]:
        _state["provider"].shutdown()
