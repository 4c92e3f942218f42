"""End to end: HR creates people, an admin runs matching, the pair is introduced by email with the
match's reasons, the mentor accepts and the mentee's manager is told."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests.integration.matching.support import Tandem, profile
from tests.integration.notifications.support import smtp_sink
from tests.support.polling import wait_for
from tests.support.processes import running


@pytest.fixture(scope="module")
def sink():
    with smtp_sink() as mail:
        yield mail


@pytest.fixture(scope="module")
def suite(infra, logs_dir, sink):
    smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port)}
    with ExitStack() as services:
        profiles = services.enter_context(running("profiles", infra, logs_dir))
        matching = services.enter_context(running("matching", infra, logs_dir))
        services.enter_context(running("notifications", infra, logs_dir, NOTIFY_DISPATCH_POLL_SECONDS="0.1", **smtp))
        yield Tandem(profiles.url, matching.url)


def test_a_cohort_is_matched_introduced_and_started(suite, sink, uid):
    ids = {n: f"{uid}-{n}" for n in ("boss", "mentor", "mentee")}
    suite.hire(ids["boss"], profile(f"Bea Boss {uid}", roles=(), grade=12))
    suite.hire(ids["mentor"], profile(f"Mo Mentor {uid}", roles=("mentor",), grade=9, department="Finance",
                                      skills=(("negotiation", 5),)))
    suite.hire(ids["mentee"], profile(f"Mia Mentee {uid}", grade=4, manager_id=ids["boss"],
                                      skills=(("negotiation", 1),)))
    program_id = suite.program(f"E2E cohort {uid}")
    suite.enroll(program_id, ids["mentor"], "mentor")
    suite.enroll(program_id, ids["mentee"], "mentee")

    run = suite.wait_run(suite.admin.post(f"/v1/programs/{program_id}/matching-runs").json()["run_id"])
    assert [(a["mentee_id"], a["mentor_id"]) for a in run["assignments"]] == [(ids["mentee"], ids["mentor"])]
    mentorship = suite.mentorship(run["assignments"][0]["mentorship_id"])

    mentor_mail = f"mo.mentor.{uid}@example.com"
    intro = wait_for(lambda: sink.to(mentor_mail, "introduction"), timeout=60, message="the introduction")
    assert f"Mia Mentee {uid}" in intro[0].everything()
    assert any(reason in intro[0].everything() for reason in mentorship["reasons"])
    assert wait_for(lambda: sink.to(f"mia.mentee.{uid}@example.com", "introduction"), timeout=30)

    accepted = suite.as_person(ids["mentor"]).post(f"/v1/mentorships/{mentorship['mentorship_id']}/accept")
    assert accepted.json()["status"] == "active"
    told = wait_for(lambda: sink.to(f"bea.boss.{uid}@example.com", "mentorship_started"), timeout=60,
                    message="the manager to be told")
    assert f"Mo Mentor {uid}" in told[0].everything()
