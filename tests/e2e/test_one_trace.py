"""One trace follows an HR push through the bus: profiles' request, its event, and each consumer's work."""

from __future__ import annotations

import secrets
from contextlib import ExitStack

import pytest

from tests.integration.notifications.support import Store, smtp_sink
from tests.support.http import Client, bearer
from tests.support.otlp import TraceReceiver
from tests.support.polling import wait_for
from tests.support.processes import running

SERVICES = ("profiles", "matching", "notifications")


@pytest.fixture(scope="module")
def traced(infra, logs_dir):
    receiver = TraceReceiver()
    with ExitStack() as stack:
        stack.callback(receiver.stop)
        sink = stack.enter_context(smtp_sink())
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100",
               "NOTIFY_JOB_EVERY_SECONDS": "3600", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port)}
        yield {n: stack.enter_context(running(n, infra, logs_dir, **env)) for n in SERVICES}, receiver, sink


def traceparent() -> tuple[str, str, str]:
    """A caller's trace (as an HR portal with its own tracing would send it): trace id, span id, header."""
    trace_id, span_id = secrets.token_hex(16), secrets.token_hex(8)
    return trace_id, span_id, f"00-{trace_id}-{span_id}-01"


def test_an_hr_push_is_one_trace_across_profiles_matching_and_notifications(traced, uid):
    services, receiver, _ = traced
    trace_id, caller_span, header = traceparent()
    hr = Client(services["profiles"].url, {**bearer("hr_admin"), "traceparent": header})
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


def test_one_trace_runs_from_hr_completing_a_goal_to_the_managers_email(traced, infra, uid):
    services, receiver, sink = traced
    hr = Client(services["profiles"].url, bearer("hr_admin"))
    manager, report = f"boss-{uid}", f"report-{uid}"
    for employee_id, name, manager_id in ((manager, "Bea Boss", None), (report, "Rae Report", manager)):
        assert hr.put(f"/v1/profiles/{employee_id}", json={
            "name": f"{name} {uid}", "email": f"{employee_id}@example.com", "department": "Eng", "grade": 5,
            "roles": ["mentee"], "manager_id": manager_id}).status_code == 201
    goal = hr.post(f"/v1/profiles/{report}/goals", json={"title": "Ship the report"}).json()
    Store(infra.mongodb_uri, infra.mongodb_db).wait_known(manager, report)
    trace_id, caller_span, header = traceparent()
    done = hr.patch(f"/v1/goals/{goal['goal_id']}", json={"progress": 100}, headers={"traceparent": header})
    assert done.status_code == 200, done.text
    sink.wait(f"{manager}@example.com", kind="goal_completed", timeout=60)

    def sent():
        return [s for s in receiver.trace(trace_id) if s.name == "smtp send"]

    [smtp] = wait_for(sent, timeout=30, message="the SMTP span in the caller's trace")
    by_id = {s.span_id: s for s in receiver.trace(trace_id)}
    chain = [smtp, *ancestors(smtp, by_id)]
    assert smtp.service == "tandem-notifications" and chain[-1].parent_id == caller_span
    assert {"tandem-notifications", "tandem-profiles"} <= {s.service for s in chain}
    assert "mentoring.goal.completed process" in {s.name for s in chain}
    matching_spans = [s for s in receiver.trace(trace_id) if s.service == "tandem-matching"]
    assert matching_spans, "matching consumed the goal event within the same trace"


def ancestors(span, by_id: dict) -> list:
    chain = []
    while span.parent_id in by_id:
        span = by_id[span.parent_id]
        chain.append(span)
    return chain
