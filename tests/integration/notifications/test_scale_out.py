"""Exactly once with several worker replicas, and when every topic is replayed from its start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.notifications.support import mentorship, session, wait_consumed
from tests.integration.notifications.team import hire, make_team
from tests.support.polling import wait_for
from tests.support.processes import running

SCHEDULED = {"weekly_digest", "session_reminder", "checkin_nudge", "checkin_escalation"}  # the jobs' mail


@pytest.fixture
def second_worker(infra, logs_dir, notify_env, notifications):
    with running("notifications", infra, logs_dir, "worker", **notify_env) as worker:
        yield worker


def wait_until_nothing_pending(admin, message: str) -> None:
    """Every delivery has ended; on a timeout, say which have not."""
    def pending() -> list[dict]:
        return admin.get("/v1/deliveries", params={"status": "pending", "limit": 5}).json()["items"]

    try:
        wait_for(lambda: pending() == [], timeout=30, message=message)
    except AssertionError as timeout:
        raise AssertionError(f"{timeout}; still pending: {pending()}") from None


def test_two_worker_replicas_send_each_notification_once(second_worker, hr, bus, store, admin, sink, infra, uid):
    team = make_team(hr, bus, store, uid)
    mentees = [f"mentee{i}-{uid}" for i in range(6)]
    for mentee in mentees:
        hire(hr, mentee, f"Mentee {mentee}", manager_id=team.manager)
    store.wait_known(*mentees)
    soon = (datetime.now(UTC) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for i, mentee in enumerate(mentees):
        proposed = bus.publish("mentoring.mentorship.proposed",
                               mentorship(f"m{i}-{uid}", team.program_id, team.mentor, mentee, "proposed"))
        bus.send(proposed)  # redelivered
        bus.publish("mentoring.mentorship.proposed",
                    mentorship(f"m{i}-{uid}", team.program_id, team.mentor, mentee, "proposed"))
        pair = mentorship(f"m{i}-{uid}", team.program_id, team.mentor, mentee, "active",
                          started_at="2031-01-01T00:00:00Z")
        bus.publish("mentoring.mentorship.started", pair)
        bus.publish("mentoring.session.scheduled", session(f"s{i}-{uid}", pair, "scheduled", soon))

    for mentee in mentees:  # both schedulers see the real clock; the reminder still goes once
        sink.wait(team.email(mentee), kind="session_reminder")
    sink.wait(team.email(team.mentor), len(mentees), kind="introduction")
    sink.wait(team.email(team.manager), len(mentees), kind="mentorship_started")
    wait_consumed(infra.kafka_bootstrap)
    wait_until_nothing_pending(admin, "every delivery to end")
    for mentee in mentees:
        assert len(sink.to(team.email(mentee), "introduction")) == 1
        assert len(sink.to(team.email(mentee), "session_reminder")) == 1
    assert len(sink.to(team.email(team.mentor), "introduction")) == len(mentees)
    assert len(sink.to(team.email(team.mentor), "session_reminder")) == len(mentees)
    assert len(sink.to(team.email(team.manager), "mentorship_started")) == len(mentees)


def test_replaying_every_topic_from_the_start_sends_nothing_again(infra, logs_dir, notify_env, notifications,
                                                                   hr, bus, store, admin, sink, hooks, uid):
    wait_until_nothing_pending(admin, "earlier deliveries to end")
    mails, calls = len(sink.mails), len(hooks.calls)
    group = f"replay-{uid}"
    with running("notifications", infra, logs_dir, "worker", NOTIFY_CONSUMER_GROUP=group, **notify_env):
        wait_consumed(infra.kafka_bootstrap, group=group, timeout=90)
        team = make_team(hr, bus, store, uid)  # a fresh proposal both groups see: introduced once
        bus.publish("mentoring.mentorship.proposed", team.pair("proposed"))
        sink.wait(team.email(team.mentee), kind="introduction")
        sink.wait(team.email(team.mentor), kind="introduction")
        wait_consumed(infra.kafka_bootstrap, group=group)
        wait_until_nothing_pending(admin, "every delivery to end")
    before, during = sink.mails[:mails], sink.mails[mails:]
    assert not {m.notification_id for m in during} & {m.notification_id for m in before}  # nothing sent again
    # besides the two introductions, only what the once-a-second jobs found due on the real clock meanwhile
    assert sorted((m.kind, m.rcpt_tos[0]) for m in during if m.kind not in SCHEDULED) == sorted(
        [("introduction", team.email(team.mentee)), ("introduction", team.email(team.mentor))])
    assert len(hooks.calls) == calls
