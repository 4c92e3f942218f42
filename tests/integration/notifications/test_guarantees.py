"""Issue 11's guarantees against the real broker, store and SMTP server: a worker killed in the middle of a
batch loses nothing and resends only what it had not recorded, under the same Message-ID; a digest job run
three times delivers once; an erasure stops what was queued about the person."""

from __future__ import annotations

import signal
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.notifications.support import mentorship, profile, program, wait_consumed
from tests.integration.notifications.team import hire, make_team
from tests.support.http import bearer
from tests.support.polling import wait_for, wait_while_progressing
from tests.support.processes import running

BATCH, GROUP, THREADS = 1000, 10, 2


@pytest.fixture
def lone_worker(notifications, infra, logs_dir, notify_env):
    """The package's worker stands aside for one whose lease is short (a stopped worker's work comes back in
    seconds) and whose groups are small (the most a kill can leave sent but unrecorded)."""
    notifications.stop("worker")
    env = {**notify_env, "NOTIFY_CLAIM_SECONDS": "15", "NOTIFY_DISPATCH_GROUP": str(GROUP),
           "NOTIFY_DISPATCH_THREADS": str(THREADS)}
    try:
        with running("notifications", infra, logs_dir, "worker", **env) as worker:
            yield worker
    finally:
        notifications.start("worker")


def test_a_worker_killed_in_the_middle_of_a_batch_of_1000_sends_every_email_under_one_message_id(
        lone_worker, bus, store, sink, uid):
    managers = [f"boss{i}-{uid}" for i in range(20)]
    mentees = [f"e{i}-{uid}" for i in range(BATCH)]
    for person in [*managers, f"mo-{uid}"]:
        bus.publish("mentoring.profile.created", profile(person, f"Boss {person}"), source="/tandem/profiles")
    for i, person in enumerate(mentees):
        bus.publish("mentoring.profile.created", profile(person, f"Mentee {i}", manager_id=managers[i % 20]),
                    source="/tandem/profiles")
    bus.publish("mentoring.program.created", program(f"p-{uid}"))
    store.wait_known(*managers, mentees[-1], timeout=120)
    expected = {f"started:m{i}-{uid}:{managers[i % 20]}" for i in range(BATCH)}
    pairs = [mentorship(f"m{i}-{uid}", f"p-{uid}", f"mo-{uid}", mentee, "active", started_at="2031-01-02T00:00:00Z")
             for i, mentee in enumerate(mentees)]
    try:
        for pair in pairs:
            bus.publish("mentoring.mentorship.started", pair)

        def ours():
            return [m for m in sink.mails if m.notification_id in expected]

        wait_for(lambda: len(ours()) >= BATCH // 5, timeout=120, message="the batch to be under way")
        lone_worker.stop("worker", sig=signal.SIGKILL)
        assert len(ours()) < BATCH, "the worker finished before it was killed; nothing was tested"
        lone_worker.start("worker")

        # A killed worker's open transaction holds the documents it wrote until the store reaps it (60 s
        # idle, MongoDB's transactionLifetimeLimitSeconds and SecantusDB's alike); its claims come back
        # after their 15 s lease. Longer than that without a new email is stuck.
        wait_while_progressing(lambda: len({m.notification_id for m in ours()}), BATCH, stall=90,
                               message="every email")
        assert {m.notification_id for m in ours()} == expected
        copies = Counter(m.notification_id for m in ours())
        message_ids = {n: {str(m.message["Message-ID"]) for m in ours() if m.notification_id == n} for n in expected}
        assert all(len(ids) == 1 for ids in message_ids.values())  # a resend is the same message to a mail system
        resent = sum(count - 1 for count in copies.values())
        assert resent <= GROUP * THREADS, f"{resent} emails sent twice: more than the groups in flight at the kill"
    finally:  # a thousand active pairs would weigh on every later test's once-a-second jobs, pass or fail
        for pair in pairs:
            bus.publish("mentoring.mentorship.ended", {**pair, "status": "ended", "ended_at": "2031-02-01T00:00:00Z"})


def test_the_same_digest_job_three_times_delivers_one_digest(team, bus, infra, admin, sink):
    bus.publish("mentoring.mentorship.started", team.pair("active", started_at="2031-01-02T00:00:00Z"))
    wait_consumed(infra.kafka_bootstrap)
    run = lambda _: admin.post("/v1/jobs/digests:run", json={"as_of": "2031-01-20T08:00:00Z"})  # noqa: E731
    with ThreadPoolExecutor(3) as pool:
        assert [answer.status_code for answer in pool.map(run, range(3))] == [200] * 3
    digest = f"digest:{team.manager}:2031-W04"
    sink.wait_id(team.email(team.manager), digest)

    def recorded():  # (the scheduler, on the real clock, sends this week's digest too)
        items = admin.get("/v1/deliveries", params={"recipient_id": team.manager, "kind": "weekly_digest"}).json()
        [item] = [i for i in items["items"] if i["notification_id"] == digest]
        return all(d["status"] == "delivered" for d in item["deliveries"])

    wait_for(recorded, timeout=30, message="the digest's delivery recorded")
    assert len([m for m in sink.to(team.email(team.manager), "weekly_digest") if m.notification_id == digest]) == 1


def test_an_erasure_stops_what_was_queued_about_the_person(hr, bus, store, sink, admin, api, infra, uid):
    """The proposal overtakes the mentor's profile, so both introductions wait; the mentee is erased meanwhile:
    nothing goes to them, nothing that names them goes to the mentor, and nothing of them stays."""
    mentee, mentor = f"mia-{uid}", f"mo-{uid}"
    make_team(hr, bus, store, uid)  # the program
    hire(hr, mentee, f"Miaow Erasable {uid}")
    store.wait_known(mentee)
    reasons = [f"Strong (4/5) in sql, which Miaow wants to learn {uid}"]
    bus.publish("mentoring.mentorship.proposed", mentorship(f"m-{uid}", f"p-{uid}", mentor, mentee, "proposed",
                                                            reasons=reasons))
    wait_consumed(infra.kafka_bootstrap)
    assert hr.delete(f"/v1/profiles/{mentee}").status_code == 204
    mine = bearer("employee", employee_id=mentee)
    wait_for(lambda: api.get("/v1/notifications", headers=mine).json()["items"] == [], timeout=30,
             message="the mentee's notifications to go")
    hire(hr, mentor, f"Mo Mentor {uid}", roles=("mentor",))

    def withdrawn():
        items = admin.get("/v1/deliveries", params={"recipient_id": mentor}).json()["items"]
        email = items and next(d for d in items[0]["deliveries"] if d["channel"] == "email")
        return email and email["status"] == "failed" and email

    assert "erased" in wait_for(withdrawn, timeout=30, message="the mentor's introduction withdrawn")["reason"]
    assert sink.to(f"{mentee}@example.com") == [] and sink.to(f"{mentor}@example.com") == []
    [shown] = api.get("/v1/notifications", headers=bearer("employee", employee_id=mentor)).json()["items"]
    assert "Miaow" not in str(shown) and shown["subject"] == "Meet your mentee: your mentee"
    everything = store.dump_notifications()
    assert "Miaow" not in everything and f"{mentee}@example.com" not in everything
