"""Matching runs on the fakes: one at a time per program, executed by the worker, each assignment proposed once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.matching.use_cases import proposals
from services.matching.use_cases.run_executor import RunExecutor, RunPolicy
from services.matching.use_cases.run_proposals import proposal_id
from services.matching.use_cases.runs import request_run, run_outcome
from shared.errors import Conflict, NotFound
from shared.events import catalog as ev
from shared.timeutil import utcnow


@pytest.fixture
def executor(uow):
    durations: list[float] = []
    worker = RunExecutor(uow, "worker-1", RunPolicy(heartbeat_seconds=60), on_completed=durations.append)
    worker.durations = durations
    return worker


def test_one_run_at_a_time_per_program_and_unknown_runs_are_not_found(uow, team):
    running = request_run(uow, team, "admin-1")
    with pytest.raises(Conflict) as raised:
        request_run(uow, team, "admin-1")
    assert raised.value.errors == {"run_id": [running["run_id"]]}
    with pytest.raises(NotFound):
        run_outcome(uow, "nope")
    with pytest.raises(NotFound):
        request_run(uow, "no-program", "admin-1")


def test_a_run_places_every_mentee_it_can_and_proposes_each_pair_once(uow, team, executor):
    run_id = request_run(uow, team, "admin-1")["run_id"]
    assert executor.tick() is True and executor.tick() is False  # nothing left to claim
    run = run_outcome(uow, run_id)
    assert run["status"] == "completed" and run["unmatched"] == []
    assert {a["mentee_id"] for a in run["assignments"]} == {"cy", "di"}
    assert run["objective"] == round(sum(a["score"] for a in run["assignments"]), 6)
    for assignment in run["assignments"]:
        proposal = uow.mentorships.get(assignment["mentorship_id"])
        assert (proposal["status"], proposal["run_id"], proposal["score"]) == ("proposed", run_id, assignment["score"])
        assert assignment["mentorship_id"] == proposal_id(run_id, assignment["mentee_id"])
    assert run["audit"]["profile_versions"] == {"ada": 1, "bo": 1, "cy": 1, "di": 1}
    assert uow.mentorships.types() == [ev.MENTORSHIP_PROPOSED.name] * 2
    assert [e.type for e in uow.runs.published] == [ev.MATCHING_RUN_COMPLETED.name]
    assert len(executor.durations) == 1


def test_a_mentee_matched_by_hand_while_the_run_solved_is_reported_not_proposed_twice(uow, team, executor):
    run_id = request_run(uow, team, "admin-1")["run_id"]

    def an_admin_pairs_cy_by_hand_meanwhile(_first_proposal):
        proposals.propose(uow, team, "ada", "cy", "admin-1")

    uow.mentorships.concurrently = an_admin_pairs_cy_by_hand_meanwhile
    executor.tick()
    outcome = run_outcome(uow, run_id)
    assert outcome["unmatched"] == [{"mentee_id": "cy", "reason": "matched_meanwhile"}]
    assert [m["proposed_by"] for m in uow.mentorships.open_of_mentees(team, ["cy"])] == ["admin-1"]
    assert [a["mentee_id"] for a in outcome["assignments"]] == ["di"]


def test_a_run_executed_again_after_a_crash_proposes_nobody_twice(uow, team, executor):
    run_id = request_run(uow, team, "admin-1")["run_id"]
    claimed = uow.runs.claim("worker-1", utcnow(), utcnow() - timedelta(minutes=10))
    executor.execute(claimed)
    uow.runs.docs[run_id].update(status="running", phase="solved")  # as if the worker died before completing
    executor.execute(uow.runs.get(run_id))
    assert len(uow.mentorships.docs) == 2 and run_outcome(uow, run_id)["status"] == "completed"


def test_a_run_past_its_attempts_or_of_a_vanished_program_fails_visibly(uow, team, executor, org):
    run_id = request_run(uow, team, "admin-1")["run_id"]
    uow.runs.docs[run_id]["attempts"] = 3
    executor.tick()
    assert (run_outcome(uow, run_id)["status"], run_outcome(uow, run_id)["error"]) == (
        "failed", "gave up after 3 attempts")
    other = org.program(name="Gone")
    second = request_run(uow, other, "admin-1")["run_id"]
    del uow.programs.docs[other]
    executor.tick()
    assert run_outcome(uow, second)["error"] == "the program no longer exists"
