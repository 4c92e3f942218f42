"""Scheduled jobs: reminders with the .ics invite, check-in nudges and escalation, the weekly digest —
on demand "as of" a moment (idempotent per period) and on the real clock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.notifications.support import session, wait_consumed
from tests.integration.notifications.team import BIO_MARKER, make_team
from tests.support.http import bearer
from tests.support.kafka_tap import Tap


@pytest.fixture
def team(hr, bus, store, notifications, uid):
    return make_team(hr, bus, store, uid, every=7, mentee_tz="Asia/Tokyo")


def run(admin, job: str, as_of: str) -> dict:
    response = admin.post(f"/v1/jobs/{job}:run", json={"as_of": as_of})
    assert response.status_code == 200, response.text
    return response.json()


def start(team, bus, infra, started_at: str = "2031-01-01T00:00:00Z") -> dict:
    bus.publish("mentoring.mentorship.started", team.pair("active", started_at=started_at))
    return team.pair("active", started_at=started_at)


def test_a_session_reminder_goes_to_both_24_hours_ahead_with_the_invite(team, bus, infra, admin, sink):
    pair = start(team, bus, infra)
    sid = f"s-{team.uid}"
    bus.publish("mentoring.session.scheduled", session(sid, pair, "scheduled", "2031-03-10T15:00:00Z"))
    bus.publish("mentoring.session.scheduled",
                session(f"x-{team.uid}", pair, "scheduled", "2031-03-10T16:00:00Z"))
    bus.publish("mentoring.session.cancelled",
                session(f"x-{team.uid}", pair, "cancelled", "2031-03-10T16:00:00Z"))
    wait_consumed(infra.kafka_bootstrap)

    assert run(admin, "reminders", "2031-03-09T14:59:00Z")["created"] == 0  # 24 h 1 min ahead: not yet
    assert run(admin, "reminders", "2031-03-09T15:30:00Z")["created"] == 2
    assert run(admin, "reminders", "2031-03-10T09:00:00Z") == {
        "job": "reminders", "as_of": "2031-03-10T09:00:00.000000Z", "created": 0, "already_sent": 2}

    [to_mentee] = sink.wait(team.email(team.mentee), kind="session_reminder")
    [to_mentor] = sink.wait(team.email(team.mentor), kind="session_reminder")
    assert "Tuesday 11 March 2031, 00:00 (Asia/Tokyo)" in to_mentee.text  # the mentee's own zone
    assert "Monday 10 March 2031, 15:00 (UTC)" in to_mentor.text
    for mail in (to_mentee, to_mentor):
        [invite] = list(mail.message.iter_attachments())
        ics = invite.get_content()
        ics = ics if isinstance(ics, str) else ics.decode()
        assert invite.get_content_type() == "text/calendar" and invite.get_filename() == "session.ics"
        assert f"UID:{sid}@tandem\r\n" in ics and "DTSTART:20310310T150000Z" in ics
        assert "DTEND:20310310T160000Z" in ics and ics.count("BEGIN:VEVENT") == 1


def test_the_reminder_job_runs_on_the_real_clock(team, bus, infra, sink):
    pair = start(team, bus, infra)
    soon = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    bus.publish("mentoring.session.scheduled", session(f"s-{team.uid}", pair, "scheduled", soon))
    [mail] = sink.wait(team.email(team.mentee), kind="session_reminder", timeout=30)
    assert mail.message["Subject"] == f"Reminder: mentoring session with Mo Mentor {team.uid} tomorrow"


def test_a_pair_that_misses_its_cadence_is_nudged_and_the_admin_told_at_twice_it(team, bus, infra, admin, sink):
    pair = start(team, bus, infra)
    wait_consumed(infra.kafka_bootstrap)
    run(admin, "nudges", "2031-01-07T23:00:00Z")
    assert sink.to(team.email(team.mentee), "checkin_nudge") == []  # 6 days 23 h: within the cadence

    run(admin, "nudges", "2031-01-08T01:00:00Z")
    [nudge] = sink.wait(team.email(team.mentee), kind="checkin_nudge")
    sink.wait(team.email(team.mentor), kind="checkin_nudge")
    assert "It has been 7 days since your mentorship started (2031-01-01)" in nudge.text
    assert "every 7 days" in nudge.text

    run(admin, "nudges", "2031-01-15T01:00:00Z")
    assert run(admin, "nudges", "2031-01-15T01:00:00Z")["created"] == 0  # a repeat sends nothing
    [alert] = sink.wait(team.email(team.admin), kind="checkin_escalation")
    assert f"Mo Mentor {team.uid} (mentor) and Mia Mentee {team.uid} (mentee)" in alert.text
    assert "no completed session for 14 days" in alert.text
    sink.wait(team.email(team.mentee), 2, kind="checkin_nudge")

    bus.publish("mentoring.session.completed", session(f"s-{team.uid}", pair, "completed", "2031-01-16T10:00:00Z",
                                                       completed_at="2031-01-16T11:00:00Z"))
    wait_consumed(infra.kafka_bootstrap)
    run(admin, "nudges", "2031-01-22T01:00:00Z")  # 5.6 days after the session: fine again
    run(admin, "nudges", "2031-01-23T12:00:00Z")  # 7 days after it: due again
    mails = sink.wait(team.email(team.mentee), 3, kind="checkin_nudge")
    assert "since your last completed session (2031-01-16)" in mails[-1].text
    assert len(sink.to(team.email(team.admin), "checkin_escalation")) == 1


def test_the_weekly_digest_shows_counts_and_percentages_per_report(team, bus, infra, admin, sink, hr, api):
    pair = start(team, bus, infra, started_at="2031-01-02T00:00:00Z")
    as_of = "2031-01-20T08:00:00Z"  # Monday of 2031-W04
    bus.publish("mentoring.session.completed", session(f"a-{team.uid}", pair, "completed", "2031-01-18T10:00:00Z",
                                                       completed_at="2031-01-18T11:00:00Z"))
    bus.publish("mentoring.session.completed", session(f"b-{team.uid}", pair, "completed", "2031-01-05T10:00:00Z",
                                                       completed_at="2031-01-05T11:00:00Z"))
    bus.publish("mentoring.session.scheduled", session(f"c-{team.uid}", pair, "scheduled", "2031-01-25T09:30:00Z"))
    bus.publish("mentoring.feedback.submitted", {
        "feedback_id": f"f-{team.uid}", "mentorship_id": pair["mentorship_id"], "program_id": team.program_id,
        "session_id": f"a-{team.uid}", "author_id": team.mentor, "author_role": "mentor", "rating": 2,
        "submitted_at": "2031-01-18T12:00:00Z"})
    done = hr.post(f"/v1/profiles/{team.mentee}/goals", json={"title": "Lead a design review",
                                                              "description": "PRIVATE-GOAL-DIGEST"}).json()
    half = hr.post(f"/v1/profiles/{team.mentee}/goals", json={"title": "Learn SQL"}).json()
    hr.patch(f"/v1/goals/{done['goal_id']}", json={"status": "completed"})
    hr.patch(f"/v1/goals/{half['goal_id']}", json={"progress": 40})
    # the profiles outbox publishes after the PATCH returns: wait for the bus, then for the consumer
    goals = Tap(infra.kafka_bootstrap, "mentoring.goals")
    goals.wait_events(lambda e: e["data"]["goal_id"] in (done["goal_id"], half["goal_id"])
                      and e["type"] != "mentoring.goal.created", 2)
    goals.close()
    wait_consumed(infra.kafka_bootstrap)

    run(admin, "digests", as_of)
    assert run(admin, "digests", "2031-01-22T08:00:00Z")["created"] == 0  # same ISO week: nothing new
    digest_id = f"digest:{team.manager}:2031-W04"
    mail = sink.wait_id(team.email(team.manager), digest_id)
    assert mail.message["Subject"] == "Mentoring digest for 2031-W04"
    assert f"Mia Mentee {team.uid} (mentee)" in mail.text
    assert "Sessions held: 1 this week, 2 in total" in mail.text
    assert "Goals: 1 of 2 completed; progress 100%, 40% (average 70%)" in mail.text
    assert "Next session: 2031-01-25T09:30:00+00:00" in mail.text
    everything = mail.everything()
    assert "rating" not in everything.lower() and "PRIVATE-GOAL-DIGEST" not in everything
    assert BIO_MARKER not in everything and "Lead a design review" not in everything

    api.put(f"/v1/preferences/{team.manager}", json={"digest": "off"},
            headers=bearer("employee", employee_id=team.manager))
    run(admin, "digests", "2031-01-27T08:00:00Z")
    assert [m for m in sink.to(team.email(team.manager), "weekly_digest")
            if m.notification_id == f"digest:{team.manager}:2031-W05"] == []


def test_concurrent_runs_of_the_same_job_send_once(team, bus, infra, admin, sink):
    pair = start(team, bus, infra)
    bus.publish("mentoring.session.scheduled", session(f"s-{team.uid}", pair, "scheduled", "2032-06-01T12:00:00Z"))
    wait_consumed(infra.kafka_bootstrap)
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _: run(admin, "reminders", "2032-05-31T13:00:00Z"), range(4)))
    assert sum(r["created"] for r in reports) == 2
    sink.wait(team.email(team.mentee), kind="session_reminder")
    sink.wait(team.email(team.mentor), kind="session_reminder")
    run(admin, "reminders", "2032-05-31T18:00:00Z")
    assert len(sink.to(team.email(team.mentee), "session_reminder")) == 1


def test_jobs_are_for_program_admins_with_a_valid_moment(api):
    body = {"as_of": "2031-01-01T00:00:00Z"}
    assert api.post("/v1/jobs/reminders:run", json=body).status_code == 401
    assert api.post("/v1/jobs/reminders:run", json=body, headers=bearer("employee", employee_id="e1")).status_code \
        == 403
    admin = bearer("program_admin")
    assert api.post("/v1/jobs/payroll:run", json=body, headers=admin).status_code == 404
    for bad in ({"as_of": "tomorrow"}, {"as_of": "2031-01-01"}, {"as_of": "2031-01-01T00:00:00"}, {},
                {"as_of": "2031-01-01T00:00:00Z", "force": True}):
        response = api.post("/v1/jobs/nudges:run", json=bad, headers=admin)
        assert response.status_code == 422, bad
        assert response.headers["Content-Type"] == "application/problem+json"
