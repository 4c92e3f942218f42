"""Hand-made matches and a pair's life on the fakes: constraints, capacity, transitions, who sees what."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.matching.use_cases import mentorships, proposals, sessions
from shared.errors import Conflict, Forbidden
from shared.events import catalog as ev
from tests.unit.matching.use_cases.conftest import ADMIN, employee

SESSION = {"scheduled_at": datetime(2031, 1, 1, 10, tzinfo=UTC), "duration_minutes": 60}


def test_a_proposal_scores_the_pair_and_says_why(org, uow, team):
    proposal = org.pair(team, "ada", "cy", accepted=False)
    assert proposal["status"] == "proposed" and 0 < proposal["score"] <= 1
    assert any("Cy" in reason for reason in proposal["reasons"])  # Ada is an expert in what Cy wants to learn
    assert uow.mentorships.types() == [ev.MENTORSHIP_PROPOSED.name]


def test_a_mentee_has_one_open_pair_per_program_and_a_mentor_no_more_than_capacity(org, uow, team):
    org.pair(team, "bo", "cy", accepted=False)
    with pytest.raises(Conflict, match="already has a proposed mentorship"):
        proposals.propose(uow, team, "ada", "cy", "admin-1")
    with pytest.raises(Conflict, match="no capacity left"):
        proposals.propose(uow, team, "bo", "di", "admin-1")


def test_a_pair_in_the_reporting_line_breaks_a_hard_constraint(org, uow):
    org.hire("boss", roles=("mentor",), grade=9)
    org.hire("report", grade=4, manager_id="boss")
    program_id = org.program()
    org.enroll(program_id, "boss", "mentor")
    org.enroll(program_id, "report", "mentee")
    with pytest.raises(Conflict) as raised:
        proposals.propose(uow, program_id, "boss", "report", "admin-1")
    assert raised.value.errors == {"constraints": ["reporting_line"]}


def test_a_capacity_slot_lost_to_a_concurrent_proposal_is_retried_with_the_next_free_one(org, uow, team):
    def another_admin_takes_the_same_slot(mine):
        uow.mentorships.docs["theirs"] = {**mine, "mentorship_id": "theirs", "mentee_slot": "elsewhere#di"}

    uow.mentorships.concurrently = another_admin_takes_the_same_slot
    proposal = proposals.propose(uow, team, "ada", "cy", "admin-1")
    assert (proposal["mentor_slot"], uow.mentorships.docs["theirs"]["mentor_slot"]) == ("ada#1", "ada#0")
    with pytest.raises(Conflict, match="no capacity left"):
        proposals.propose(uow, team, "ada", "di", "admin-1")  # both of Ada's slots are held now


def test_only_the_mentor_or_an_admin_accepts_and_a_pair_moves_on_only_once(org, uow, team):
    proposal = org.pair(team, "ada", "cy", accepted=False)
    with pytest.raises(Forbidden):
        mentorships.act_on(uow, employee("cy"), proposal["mentorship_id"], "accept")
    active = mentorships.act_on(uow, employee("ada"), proposal["mentorship_id"], "accept")
    assert active["status"] == "active" and active["started_at"]
    with pytest.raises(Conflict):
        mentorships.act_on(uow, employee("ada"), proposal["mentorship_id"], "decline")
    ended = mentorships.act_on(uow, employee("cy"), proposal["mentorship_id"], "end", "completed")
    assert (ended["status"], ended["end_reason"]) == ("ended", "completed")
    assert uow.mentorships.types() == [ev.MENTORSHIP_PROPOSED.name, ev.MENTORSHIP_STARTED.name,
                                       ev.MENTORSHIP_ENDED.name]


def test_a_transition_that_loses_to_a_concurrent_one_decides_again_on_the_fresh_pair(org, uow, team):
    proposal = org.pair(team, "ada", "cy", accepted=False)

    def the_mentor_accepts_meanwhile(doc):
        doc.update(status="active", version=doc["version"] + 1, started_at="2025-02-01T00:00:00Z")

    uow.mentorships.concurrently = the_mentor_accepts_meanwhile
    with pytest.raises(Conflict, match="active mentorship cannot be declined"):
        mentorships.act_on(uow, ADMIN, proposal["mentorship_id"], "decline")
    uow.mentorships.concurrently = lambda doc: doc.update(version=doc["version"] + 1)  # any other change
    assert mentorships.act_on(uow, ADMIN, proposal["mentorship_id"], "end", "not_a_fit")["status"] == "ended"


def test_ending_a_pair_cancels_its_scheduled_sessions(org, uow, team):
    pair = org.pair(team, "ada", "cy")
    planned = sessions.schedule(uow, employee("cy"), pair["mentorship_id"], SESSION)
    mentorships.act_on(uow, ADMIN, pair["mentorship_id"], "end", "other")
    assert uow.sessions.get(planned["session_id"])["status"] == "cancelled"
    assert uow.sessions.types() == [ev.SESSION_SCHEDULED.name, ev.SESSION_CANCELLED.name]


def test_people_list_their_own_pairs_and_managers_those_of_their_reports(org, uow, team):
    org.hire("lead", roles=(), grade=12)
    org.hire("di", name="Di Prince", grade=4, manager_id="lead", version=2)
    mine, theirs = org.pair(team, "ada", "cy", accepted=False), org.pair(team, "bo", "di", accepted=False)
    listed = mentorships.list_mentorships(uow, employee("cy"), {"limit": 10, "cursor": None})
    assert [m["mentorship_id"] for m in listed["items"]] == [mine["mentorship_id"]]
    with pytest.raises(Forbidden):
        mentorships.list_mentorships(uow, employee("cy"), {"employee_id": "di", "limit": 10, "cursor": None})
    manager = employee("lead", "employee", "manager")
    by_report = mentorships.list_mentorships(uow, manager, {"employee_id": "di", "limit": 10, "cursor": None})
    assert [m["mentorship_id"] for m in by_report["items"]] == [theirs["mentorship_id"]]
    assert mentorships.readable_mentorship(uow, manager, theirs["mentorship_id"])["status"] == "proposed"
    with pytest.raises(Forbidden):
        mentorships.readable_mentorship(uow, manager, mine["mentorship_id"])
    everything = mentorships.list_mentorships(uow, ADMIN, {"program_id": team, "limit": 1, "cursor": None})
    assert len(everything["items"]) == 1 and everything["next_cursor"]
