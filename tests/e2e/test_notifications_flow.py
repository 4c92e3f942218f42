"""End to end, as an HR portal and a company portal would drive it: people and goals through the profiles
API, the pair's life on the bus (matching's events), and everything people receive — email, signed
webhook, inbox — until the mentee is erased. Managers see counts and percentages, never private text."""

from __future__ import annotations

import hashlib
import hmac
from contextlib import ExitStack

import pytest

from tests.integration.notifications.support import (
    Bus,
    HookReceiver,
    Store,
    mentorship,
    program,
    session,
    smtp_sink,
)
from tests.support.http import Client, bearer
from tests.support.kafka_tap import Tap
from tests.support.polling import wait_for
from tests.support.processes import running

SECRET = "whsec-e2e-71c0"
PRIVATE = "E2E-PRIVATE-TEXT-93Q"


@pytest.fixture(scope="module")
def world(infra, logs_dir):
    with ExitStack() as stack:
        mail = stack.enter_context(smtp_sink())
        hooks = HookReceiver()
        stack.callback(hooks.stop)
        profiles = stack.enter_context(running("profiles", infra, logs_dir))
        notifications = stack.enter_context(running(
            "notifications", infra, logs_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=str(mail.port), WEBHOOK_SECRET=SECRET,
            NOTIFY_DISPATCH_POLL_SECONDS="0.1", NOTIFY_JOB_EVERY_SECONDS="2",
            NOTIFY_WEBHOOK_ALLOW_PRIVATE="1"))  # the portal's webhook receiver runs on 127.0.0.1
        yield {"profiles": profiles, "notifications": notifications, "mail": mail, "hooks": hooks,
               "bus": Bus(infra.kafka_bootstrap)}


def test_a_mentorship_from_introduction_to_erasure(world, infra, uid):
    mail, hooks, bus = world["mail"], world["hooks"], world["bus"]
    hr = Client(world["profiles"].url, bearer("hr_admin"))
    api = Client(world["notifications"].url)
    ids = {n: f"{n}-{uid}" for n in ("boss", "mentor", "mentee", "admin")}
    for role, manager in (("boss", None), ("admin", None), ("mentor", None), ("mentee", ids["boss"])):
        assert hr.put(f"/v1/profiles/{ids[role]}", json={
            "name": f"{role.title()} {uid}", "email": f"{ids[role]}@example.com", "department": "Ops", "grade": 6,
            "roles": ["mentor"] if role == "mentor" else ["mentee"], "manager_id": manager, "bio": PRIVATE,
            "timezone": "Europe/Berlin"}).status_code == 201
    # HR systems load people well before matching runs; wait until notifications has heard of them
    Store(infra.mongodb_uri, infra.mongodb_db).wait_known(*ids.values())
    mentee = bearer("employee", employee_id=ids["mentee"])
    hook = f"/portal/{uid}"
    assert api.put(f"/v1/preferences/{ids['mentee']}", json={"webhook_url": hooks.url(hook)},
                   headers=mentee).status_code == 200
    outcomes = Tap(infra.kafka_bootstrap, "mentoring.notifications")

    # matching's part, on the bus: a program, a proposal with reasons, acceptance, a session
    bus.publish("mentoring.program.created", program(f"p-{uid}", admin_id=ids["admin"], every=14,
                                                      name=f"Ops cohort {uid}"))
    proposal = mentorship(f"m-{uid}", f"p-{uid}", ids["mentor"], ids["mentee"], "proposed",
                          reasons=["both in Ops", "mentor is strong in forecasting"])
    bus.publish("mentoring.mentorship.proposed", proposal)
    [intro] = mail.wait(f"{ids['mentee']}@example.com", kind="introduction", timeout=60)
    assert "mentor is strong in forecasting" in intro.text and f"Mentor {uid}" in intro.text
    [call] = wait_for(lambda: hooks.at(hook), timeout=30, message="the mentee's webhook")
    assert call.headers["X-Tandem-Signature"] == "sha256=" + hmac.new(SECRET.encode(), call.body,
                                                                      hashlib.sha256).hexdigest()

    pair = {**proposal, "status": "active", "started_at": "2031-02-03T09:00:00Z"}
    bus.publish("mentoring.mentorship.started", pair)
    [started] = mail.wait(f"{ids['boss']}@example.com", kind="mentorship_started", timeout=30)
    assert f"Mentee {uid}" in started.text and "2031-02-03" in started.text
    bus.publish("mentoring.session.scheduled", session(f"s-{uid}", pair, "scheduled", "2031-02-10T15:00:00Z"))

    # the company portal: the mentee reaches a goal; an admin runs the reminder and digest jobs
    goal = hr.post(f"/v1/profiles/{ids['mentee']}/goals", json={"title": f"{PRIVATE} goal",
                                                                "description": PRIVATE}).json()
    hr.patch(f"/v1/goals/{goal['goal_id']}", json={"progress": 100})
    [reached] = mail.wait(f"{ids['boss']}@example.com", kind="goal_completed", timeout=30)
    assert "1 of 1" in reached.text
    admin = bearer("program_admin")
    wait_for(lambda: api.post("/v1/jobs/reminders:run", json={"as_of": "2031-02-09T16:00:00Z"},
                              headers=admin).json()["already_sent"] == 2, timeout=30, message="reminders")
    [reminder] = mail.wait(f"{ids['mentor']}@example.com", kind="session_reminder", timeout=30)
    assert "Monday 10 February 2031, 16:00 (Europe/Berlin)" in reminder.text
    assert "UID:s-" in reminder.everything()
    wait_for(lambda: api.post("/v1/jobs/digests:run", json={"as_of": "2031-02-10T08:00:00Z"},
                              headers=admin).json()["already_sent"] >= 1, timeout=30, message="the digest")
    digest = mail.wait_id(f"{ids['boss']}@example.com", f"digest:{ids['boss']}:2031-W07")
    assert "Goals: 1 of 1 completed; progress 100% (average 100%)" in digest.text

    # the mentee reads the inbox; every email became a delivered event keyed by its recipient
    inbox = api.get("/v1/notifications", headers=mentee).json()["items"]
    assert {n["kind"] for n in inbox} == {"introduction", "session_reminder"}
    assert api.post(f"/v1/notifications/{inbox[0]['notification_id']}/read", headers=mentee).status_code == 200
    delivered = outcomes.wait_events(lambda e: e["type"] == "mentoring.notification.delivered"
                                     and e["data"]["channel"] == "email" and e["subject"] in ids.values(), 6)
    assert all(e["subject"] == e["data"]["recipient_id"] for e in delivered)

    for sent in mail.mails:  # nothing private ever left the service, and managers never see a rating
        assert PRIVATE not in sent.everything() and PRIVATE not in str(sent.message)
        if sent.kind in ("mentorship_started", "goal_completed", "weekly_digest"):
            assert "rating" not in sent.everything().lower()

    # erasure: the mentee's inbox and preferences are gone
    assert hr.delete(f"/v1/profiles/{ids['mentee']}").status_code == 204
    wait_for(lambda: api.get("/v1/notifications", headers=mentee).json()["items"] == [], timeout=30,
             message="the erased inbox")
    assert api.get(f"/v1/preferences/{ids['mentee']}", headers=admin).json()["webhook_url"] is None
    outcomes.close()
    world["bus"].close()
