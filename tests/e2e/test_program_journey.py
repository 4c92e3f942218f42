"""A program from HR import to career outcomes, with all four services as real processes.

Driven over HTTP the way an HR portal and a program admin would; checked through the APIs, the
emails the SMTP server received and the events on Kafka — including that private text never leaks.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from shared.events import TOPICS
from tests.support.http import Client, bearer
from tests.support.infra import free_port
from tests.support.kafka_tap import Tap
from tests.support.polling import wait_for
from tests.support.processes import running


class Inbox:
    """A real SMTP server collecting what Tandem sends."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.messages if address in rcpt]


def text_of(message) -> str:
    return "\n".join(part.get_content() for part in message.walk() if part.get_content_type().startswith("text/"))


@pytest.fixture(scope="module")
def suite(infra, logs_dir):
    inbox, port = Inbox(), free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "NOTIFY_DISPATCH_POLL_SECONDS": "0.2",
           "NOTIFY_RETRY_BASE_SECONDS": "0.2", "NOTIFY_JOB_EVERY_SECONDS": "3600"}
    with ExitStack() as stack:
        stack.callback(smtp.stop)
        services = {name: stack.enter_context(running(name, infra, logs_dir, **env))
                    for name in ("profiles", "matching", "notifications", "analytics")}
        yield services, inbox


def person(uid: str, key: str, **fields) -> dict:
    return {"employee_id": f"{key}-{uid}", "name": f"{key.title()} {uid}", "email": f"{key}.{uid}@example.com",
            "timezone": "Europe/Berlin", "languages": ["en"], **fields}


def test_a_mentoring_program_from_import_to_outcomes(suite, infra, uid):
    services, inbox = suite
    hr = Client(services["profiles"].url, bearer("hr_admin"))
    admin = bearer("program_admin", employee_id=f"admin-{uid}")
    matching, analytics = Client(services["matching"].url, admin), Client(services["analytics"].url, admin)
    mentee_id, mentor_id, manager_id = f"mentee-{uid}", f"mentor-{uid}", f"manager-{uid}"

    imported = hr.post("/v1/profiles:import", json=[
        person(uid, "manager", department="Finance", grade=10, roles=[]),
        person(uid, "mentee", department="Finance", grade=4, roles=["mentee"], manager_id=manager_id,
               skills=[{"name": "python", "level": 1}]),
        person(uid, "mentor", department="Engineering", grade=8, roles=["mentor"], mentor_capacity=2,
               skills=[{"name": "python", "level": 5}]),
    ]).json()
    assert imported["created"] == 3 and imported["failed"] == []
    mentee = Client(services["profiles"].url, bearer("employee", employee_id=mentee_id))
    goal = mentee.post(f"/v1/profiles/{mentee_id}/goals", json={
        "title": "Automate my reports", "description": f"PRIVATE-GOAL-{uid}", "target_skills": ["python"]}).json()

    program = matching.post("/v1/programs", json={
        "name": f"Journey {uid}", "starts_on": "2026-01-01", "ends_on": "2027-12-31", "checkin_every_days": 14,
        "weights": {"skills": 3, "goals": 2, "seniority": 1, "cross_department": 1, "language": 1, "timezone": 1},
        "constraints": {"exclude_reporting_line": True}}).json()
    program_id = program["program_id"]
    for employee_id, role in ((mentee_id, "mentee"), (mentor_id, "mentor")):
        wait_for(lambda e=employee_id, r=role: matching.post(f"/v1/programs/{program_id}/enrollments", json={
            "employee_id": e, "role": r}).status_code in (200, 201), timeout=60, message=f"{employee_id} enrolled")

    run_id = matching.post(f"/v1/programs/{program_id}/matching-runs").json()["run_id"]
    run = wait_for(lambda: (r := matching.get(f"/v1/matching-runs/{run_id}").json())["status"] != "running" and r,
                   timeout=60, message="matching run")
    assert run["status"] == "completed"
    assert [(a["mentee_id"], a["mentor_id"]) for a in run["assignments"]] == [(mentee_id, mentor_id)]

    mentorship = matching.get("/v1/mentorships", params={"program_id": program_id}).json()["items"][0]
    mentor = Client(services["matching"].url, bearer("employee", employee_id=mentor_id))
    assert mentor.post(f"/v1/mentorships/{mentorship['mentorship_id']}/accept").json()["status"] == "active"

    # the pair is introduced with the reasons, and the mentee's manager hears the mentorship started
    intro = wait_for(lambda: inbox.to(f"mentee.{uid}@example.com"), timeout=60, message="introduction email")
    assert "python" in text_of(intro[0]).lower()
    wait_for(lambda: inbox.to(f"manager.{uid}@example.com"), timeout=60, message="manager told of the start")

    mentorship_client = Client(services["matching"].url, bearer("employee", employee_id=mentee_id))
    when = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    session = mentorship_client.post(f"/v1/mentorships/{mentorship['mentorship_id']}/sessions", json={
        "scheduled_at": when, "duration_minutes": 45, "agenda": "First steps", "goal_ids": [goal["goal_id"]]}).json()
    completed = mentorship_client.post(f"/v1/sessions/{session['session_id']}/complete",
                                       json={"notes": f"PRIVATE-NOTE-{uid}", "goal_ids": [goal["goal_id"]]})
    assert completed.status_code == 200, completed.text
    feedback = mentorship_client.post(f"/v1/mentorships/{mentorship['mentorship_id']}/feedback", json={
        "session_id": session["session_id"], "rating": 5, "comment": f"PRIVATE-COMMENT-{uid}"})
    assert feedback.status_code == 201, feedback.text
    assert mentee.patch(f"/v1/goals/{goal['goal_id']}", json={"progress": 100}).json()["status"] == "completed"

    # the manager hears about the completed goal: counts and names, never private text or ratings
    wait_for(lambda: len(inbox.to(f"manager.{uid}@example.com")) >= 2, timeout=60, message="goal email")
    summary = wait_for(lambda: (s := analytics.get(f"/v1/programs/{program_id}/summary").json()).get(
        "feedback_count") == 1 and s.get("sessions_completed") == 1 and s.get("goals_completed") == 1 and s,
        timeout=60, message="analytics caught up")
    assert summary["matched_mentees"] == 1 and summary["match_rate"] == 1.0
    assert summary["average_feedback_rating"] == 5 and summary["active_mentorships"] == 1

    everything_sent = "\n".join(text_of(m) + str(m["Subject"]) for _, m in inbox.messages)
    for secret in (f"PRIVATE-NOTE-{uid}", f"PRIVATE-COMMENT-{uid}", f"PRIVATE-GOAL-{uid}"):
        assert secret not in everything_sent
    for message in inbox.to(f"manager.{uid}@example.com"):
        assert "rating" not in text_of(message).lower()

    on_the_bus = ""
    for topic in TOPICS:
        tap = Tap(infra.kafka_bootstrap, topic)
        on_the_bus += json.dumps(tap.events(lambda e: uid in json.dumps(e)))
        tap.close()
    assert mentee_id in on_the_bus
    for secret in (f"PRIVATE-NOTE-{uid}", f"PRIVATE-COMMENT-{uid}", f"PRIVATE-GOAL-{uid}"):
        assert secret not in on_the_bus
