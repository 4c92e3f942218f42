"""Channels and their guarantees: retries then `failed`, email off, signed webhooks, quiet hours, metrics."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.integration.notifications.conftest import RETRY_ATTEMPTS, WEBHOOK_SECRET
from tests.integration.notifications.support import mentorship, program
from tests.integration.notifications.team import make_team
from tests.support.http import bearer
from tests.support.polling import wait_for


def deliveries(admin, **filters) -> list[dict]:
    response = admin.get("/v1/deliveries", params=filters)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def channel(item: dict, name: str) -> dict:
    return next(d for d in item["deliveries"] if d["channel"] == name)


def as_person(employee_id: str) -> dict[str, str]:
    return bearer("employee", employee_id=employee_id)


@pytest.fixture(scope="module")
def quiet_case(hr, bus, store, notifications, api):
    """Started first, checked last: the mentee's quiet hours end at the next minute boundary(+1)."""
    team = make_team(hr, bus, store, "quiet" + datetime.now(UTC).strftime("%H%M%S%f"), mentee_tz="Asia/Kolkata")
    now = datetime.now(ZoneInfo("Asia/Kolkata"))
    ends = (now + timedelta(minutes=2 if now.second > 50 else 1)).replace(second=0, microsecond=0)
    quiet = {"start": (now - timedelta(hours=1)).strftime("%H:%M"), "end": ends.strftime("%H:%M")}
    assert api.put(f"/v1/preferences/{team.mentee}", json={"quiet_hours": quiet},
                   headers=as_person(team.mentee)).status_code == 200
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
    return team, ends.astimezone(UTC)


def test_quiet_hours_hold_email_but_not_the_inbox(quiet_case, admin, api, sink):
    team, ends = quiet_case
    sink.wait(team.email(team.mentor), kind="introduction")  # the mentor has no quiet hours

    def held():
        items = deliveries(admin, recipient_id=team.mentee, status="held")
        return items and channel(items[0], "email")

    email = wait_for(held, timeout=30, message="the email to be held")
    assert email["next_attempt_at"] == ends.isoformat(timespec="microseconds").replace("+00:00", "Z")
    assert email["attempts"] == 0 and email["log"][0]["outcome"] == "held"
    inbox = api.get("/v1/notifications", headers=as_person(team.mentee)).json()["items"]
    assert inbox[0]["kind"] == "introduction" and inbox[0]["channels"]["inbox"] == "delivered"
    assert sink.to(team.email(team.mentee)) == []


def test_a_refusing_smtp_server_is_retried_with_backoff_then_marked_failed(team, bus, sink, admin, outcomes):
    sink.refuse(team.email(team.mentee), "451 4.3.0 mailbox busy, try later")
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))

    def failed():
        return deliveries(admin, recipient_id=team.mentee, channel="email", status="failed")

    [item] = wait_for(failed, timeout=30, message="the email delivery to fail")
    email = channel(item, "email")
    assert email["attempts"] == RETRY_ATTEMPTS and "451" in email["reason"]
    assert [e["outcome"] for e in email["log"]] == ["retrying"] * (RETRY_ATTEMPTS - 1) + ["failed"]
    tries = [datetime.fromisoformat(e["at"].replace("Z", "+00:00")) for e in email["log"]]
    assert tries[1] - tries[0] >= timedelta(seconds=0.3) and tries[2] - tries[1] >= timedelta(seconds=0.6)
    [event] = outcomes.wait_events(lambda e: e["data"]["recipient_id"] == team.mentee
                                   and e["data"]["channel"] == "email", 1)
    assert event["type"] == "mentoring.notification.failed" and event["data"]["attempts"] == RETRY_ATTEMPTS
    assert event["data"]["reason"] == email["reason"] and event["subject"] == team.mentee
    assert channel(item, "inbox")["status"] == "delivered"  # nothing silently dropped: it is in the inbox


def test_a_permanent_smtp_refusal_fails_at_once(team, bus, sink, admin):
    sink.refuse(team.email(team.mentee), "550 5.1.1 no such user")
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
    [item] = wait_for(lambda: deliveries(admin, recipient_id=team.mentee, status="failed"), timeout=30,
                      message="the email delivery to fail")
    assert channel(item, "email")["attempts"] == 1 and "550" in channel(item, "email")["reason"]


def test_internationalised_people_get_their_mail_and_a_refused_one_fails_alone(hr, bus, store, sink, admin,
                                                                                notifications, uid):
    """Non-ASCII names and addresses go out with SMTPUTF8; a recipient the relay refuses fails alone."""
    people = {f"chloe-{uid}": ("Chloé Berg", f"chloé.berg.{uid}@example.com", ["mentor"]),
              f"zoe-{uid}": ("Zoë Ünal", f"zoe.{uid}@example.com", ["mentee"]),
              f"gone-{uid}": ("Åsa Gone", f"åsa.gone.{uid}@example.com", ["mentee"])}
    for employee_id, (name, address, roles) in people.items():
        body = {"name": name, "email": address, "department": "Eng", "grade": 5, "roles": roles}
        assert hr.put(f"/v1/profiles/{employee_id}", json=body).status_code == 201
    bus.publish("mentoring.program.created", program(f"p-{uid}", name="Cohort Ærø"))
    store.wait_known(*people)
    sink.refuse(people[f"gone-{uid}"][1], "550 5.1.1 mailbox unavailable")
    for mentee in (f"zoe-{uid}", f"gone-{uid}"):
        bus.publish("mentoring.mentorship.proposed",
                    mentorship(f"m-{mentee}", f"p-{uid}", f"chloe-{uid}", mentee, "proposed"))

    to_chloe = sink.wait(people[f"chloe-{uid}"][1], count=2, kind="introduction")
    [to_zoe] = sink.wait(people[f"zoe-{uid}"][1], kind="introduction")
    assert str(to_chloe[0].message["To"]) == f"Chloé Berg <chloé.berg.{uid}@example.com>"
    assert {str(m.message["Subject"]) for m in to_chloe} == {"Meet your mentee: Zoë Ünal",
                                                             "Meet your mentee: Åsa Gone"}
    assert str(to_zoe.message["To"]) == f"Zoë Ünal <zoe.{uid}@example.com>"
    [failed] = wait_for(lambda: deliveries(admin, recipient_id=f"gone-{uid}", status="failed"), timeout=30,
                        message="the refused delivery to fail")
    assert channel(failed, "email")["attempts"] == 1 and "550" in channel(failed, "email")["reason"]


def test_email_off_means_inbox_only(team, bus, sink, admin, api):
    assert api.put(f"/v1/preferences/{team.mentee}", json={"email": False},
                   headers=as_person(team.mentee)).status_code == 200
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
    sink.wait(team.email(team.mentor), kind="introduction")
    [item] = wait_for(lambda: api.get("/v1/notifications", headers=as_person(team.mentee)).json()["items"],
                      timeout=30, message="the mentee's inbox item")
    assert item["channels"] == {"inbox": "delivered"} and item["kind"] == "introduction"
    assert sink.to(team.email(team.mentee)) == []


def test_a_webhook_gets_a_signed_json_post(team, bus, hooks, admin, api, sink):
    path = f"/hooks/{team.uid}"
    prefs = {"webhook_url": hooks.url(path), "quiet_hours": None}
    assert api.put(f"/v1/preferences/{team.mentee}", json=prefs, headers=as_person(team.mentee)).status_code == 200
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed", reasons=["same guild"]))

    [call] = wait_for(lambda: hooks.at(path), timeout=30, message="the webhook call")
    expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), call.body, hashlib.sha256).hexdigest()
    assert call.headers["X-Tandem-Signature"] == expected
    assert call.headers["Content-Type"] == "application/json"
    payload = call.json()
    assert payload["kind"] == "introduction" and payload["recipient_id"] == team.mentee
    assert payload["facts"]["reasons"] == ["same guild"]
    assert payload["notification_id"] == f"intro:m-{team.uid}:{team.mentee}"
    sink.wait(team.email(team.mentee), kind="introduction")  # email stays on by default
    wait_for(lambda: channel(deliveries(admin, recipient_id=team.mentee)[0], "webhook")["status"] == "delivered",
             timeout=10, message="the webhook delivery recorded")


def test_a_failing_webhook_is_retried_then_failed(team, bus, hooks, admin, api):
    path = f"/hooks/{team.uid}"
    hooks.statuses[path] = 503
    api.put(f"/v1/preferences/{team.mentee}", json={"webhook_url": hooks.url(path), "email": False},
            headers=as_person(team.mentee))
    bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
    [item] = wait_for(lambda: deliveries(admin, recipient_id=team.mentee, channel="webhook", status="failed"),
                      timeout=30, message="the webhook delivery to fail")
    assert channel(item, "webhook")["attempts"] == RETRY_ATTEMPTS == len(hooks.at(path))
    assert channel(item, "webhook")["reason"] == "HTTP 503"


def test_deliveries_are_counted_in_prometheus(notifications):
    metrics = requests.get(f"http://127.0.0.1:{notifications.env['METRICS_PORT']}/metrics", timeout=5).text
    counted = {line.split(" ")[0]: float(line.split(" ")[1]) for line in metrics.splitlines()
               if line.startswith("tandem_notifications_total{")}
    assert counted['tandem_notifications_total{channel="email",outcome="delivered"}'] >= 1
    assert counted['tandem_notifications_total{channel="email",outcome="failed"}'] >= 2
    assert counted['tandem_notifications_total{channel="email",outcome="retried"}'] >= RETRY_ATTEMPTS - 1
    assert counted['tandem_notifications_total{channel="inbox",outcome="delivered"}'] >= 1


def test_quiet_hours_end_then_the_held_email_is_sent(quiet_case, sink, admin):
    team, ends = quiet_case
    [mail] = sink.wait(team.email(team.mentee), kind="introduction", timeout=150)
    assert mail.received_at >= ends.timestamp()

    def delivered():  # recorded just after the SMTP server accepted the mail
        email = channel(deliveries(admin, recipient_id=team.mentee)[0], "email")
        return email["status"] == "delivered" and email

    email = wait_for(delivered, timeout=30, message="the email's delivery to be recorded")
    assert [e["outcome"] for e in email["log"]] == ["held", "delivered"]
