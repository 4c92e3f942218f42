"""One trace follows an HR push through the bus: profiles' request, its event, and each consumer's work."""

from __future__ import annotations

import secrets
from contextlib import ExitStack

import pytest

from tests.support.http import Client, bearer
from tests.support.otlp import TraceReceiver
from tests.support.polling import wait_for
from tests.support.processes import running

SERVICES = ("profiles", "matching", "notifications")


@pytest.fixture(scope="module")
def traced(infra, logs_dir):
    receiver = TraceReceiver()
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100",
           "NOTIFY_JOB_EVERY_SECONDS": "3600"}
    with ExitStack() as stack:
        stack.callback(receiver.stop)
        yield {n: stack.enter_context(running(n, infra, logs_dir, **env)) for n in SERVICES}, receiver


def test_an_hr_push_is_one_trace_across_profiles_matching_and_notifications(traced, uid):
    services, receiver = traced
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    hr = Client(services["profiles"].url, {**bearer("hr_admin"), "traceparent": f"00-{trace_id}-{caller_span}-01"})
    body = {"name": f"Tia Trace {uid}", "email": f"tia.{uid}@example.com", "department": "Eng", "grade": 5,
            "roles": ["mentee"]}
    assert hr.put(f"/v1/profiles/traced-{uid}", json=body).status_code == 201

    def consumed_by_both():
        names = {(s.service, s.name) for s in receiver.trace(trace_id)}
        return all((f"tandem-{n}", "mentoring.profile.created process") in names for n in ("matching", "notifications"))

    wait_for(consumed_by_both, timeout=60, message="both consumers' spans in the caller's trace")
    spans = receiver.trace(trace_id)
    by_id = {s.span_id: s for s in spans}
    [request] = [s for s in spans if s.service == "tandem-profiles" and s.parent_id == caller_span]
    for consumer in (s for s in spans if s.name == "mentoring.profile.created process"):
        assert ancestors(consumer, by_id)[-1] is request  # the consumer's work descends from HR's request
    published = [s for s in spans if s.name == "mentoring.profiles publish"]
    assert published and all(s.service == "tandem-profiles" for s in published)


def ancestors(span, by_id: dict) -> list:
    chain = []
    while span.parent_id in by_id:
        span = by_id[span.parent_id]
        chain.append(span)
    return chain
