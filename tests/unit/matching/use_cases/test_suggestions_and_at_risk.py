"""Suggestions and the at-risk list on the fakes: eligibility, room left, declines, signals, alternatives."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.matching.use_cases import feedback, mentorships, sessions
from services.matching.use_cases.at_risk import at_risk_pairs
from services.matching.use_cases.suggestions import suggestions
from shared.errors import NotFound
from shared.timeutil import parse_rfc3339
from tests.unit.matching.use_cases.conftest import employee


def test_suggestions_rank_eligible_mentors_with_room_and_leave_out_the_reporting_line(org, uow, team):
    org.hire("lead", roles=("mentor",), grade=10, skills=(("python", 5),))
    org.hire("cy", name="Cy Young", grade=4, skills=(("python", 1),), manager_id="lead", version=2)
    org.enroll(team, "lead", "mentor")
    ranked = suggestions(uow, team, "cy", 10)
    assert sorted(s["mentor_id"] for s in ranked) == ["ada", "bo"]  # never Cy's own manager
    assert ranked[0]["score"] >= ranked[1]["score"] and all(s["reasons"] for s in ranked)
    org.pair(team, "bo", "di", accepted=False)  # Bo's only slot
    assert [s["mentor_id"] for s in suggestions(uow, team, "cy", 10)] == ["ada"]
    with pytest.raises(NotFound):
        suggestions(uow, team, "ada", 10)  # enrolled, but as a mentor


def test_a_mentor_who_declined_a_mentee_is_not_suggested_to_them_again(org, uow, team):
    proposal = org.pair(team, "ada", "cy", accepted=False)
    mentorships.act_on(uow, employee("ada"), proposal["mentorship_id"], "decline", "declined")
    assert [s["mentor_id"] for s in suggestions(uow, team, "cy", 10)] == ["bo"]
    assert sorted(s["mentor_id"] for s in suggestions(uow, team, "di", 10)) == ["ada", "bo"]


def test_at_risk_lists_pairs_without_sessions_or_with_low_ratings_with_other_mentors(org, uow, team):
    org.hire("ed", roles=("mentor",), grade=9)
    org.enroll(team, "ed", "mentor")
    troubled, healthy = org.pair(team, "ada", "cy"), org.pair(team, "bo", "di")
    as_of = parse_rfc3339(troubled["started_at"]) + timedelta(days=40)
    held = sessions.schedule(uow, employee("di"), healthy["mentorship_id"],
                             {"scheduled_at": as_of - timedelta(days=1), "duration_minutes": 30})
    sessions.complete(uow, employee("di"), held["session_id"], None, None)
    feedback.give_feedback(uow, employee("cy"), troubled["mentorship_id"], {"rating": 1})

    page = at_risk_pairs(uow, team, as_of, 10, None)
    assert [item["mentorship_id"] for item in page["items"]] == [troubled["mentorship_id"]]
    assert [s["signal"] for s in page["items"][0]["signals"]] == ["no_session_for_days", "low_rating"]
    assert [a["mentor_id"] for a in page["items"][0]["alternatives"]] == ["ed"]  # Bo is full, Ada is theirs
    assert at_risk_pairs(uow, team, parse_rfc3339(troubled["started_at"]) - timedelta(days=1), 10, None)["items"] == []
