"""Sessions, their invite and feedback on the fakes: active pairs only, private texts for the pair."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.matching.use_cases import directory, feedback, invites, sessions
from shared.calendar import unfold
from shared.errors import Conflict, Forbidden, Invalid
from shared.events import catalog as ev
from tests.unit.matching.use_cases.conftest import ADMIN, employee

WHEN = {"scheduled_at": datetime(2025, 3, 4, 14, 30, tzinfo=UTC), "duration_minutes": 45, "agenda": "Career"}


def test_sessions_are_for_active_pairs_and_their_members(org, uow, team):
    proposal = org.pair(team, "ada", "cy", accepted=False)
    with pytest.raises(Conflict):
        sessions.schedule(uow, ADMIN, proposal["mentorship_id"], WHEN)
    pair = org.pair(team, "bo", "di")
    with pytest.raises(Forbidden):
        sessions.schedule(uow, employee("cy"), pair["mentorship_id"], WHEN)
    planned = sessions.schedule(uow, employee("di"), pair["mentorship_id"], WHEN)
    assert (planned["status"], planned["scheduled_at"]) == ("scheduled", "2025-03-04T14:30:00.000000Z")


def test_notes_are_written_and_read_by_the_pair_only(org, uow, team):
    pair = org.pair(team, "ada", "cy")
    planned = sessions.schedule(uow, employee("cy"), pair["mentorship_id"], WHEN)
    with pytest.raises(Forbidden):
        sessions.complete(uow, ADMIN, planned["session_id"], "private", None)
    done = sessions.complete(uow, employee("ada"), planned["session_id"], "private", ["g-1"])
    assert (done["status"], done["notes"], done["goal_ids"]) == ("completed", "private", ["g-1"])
    assert "notes" not in sessions.read_session(uow, ADMIN, planned["session_id"])
    assert sessions.read_session(uow, employee("cy"), planned["session_id"])["notes"] == "private"
    listed = sessions.list_sessions(uow, ADMIN, pair["mentorship_id"], limit=10, cursor=None)
    assert [("notes" in s) for s in listed["items"]] == [False]
    with pytest.raises(Conflict):
        sessions.cancel(uow, employee("cy"), planned["session_id"])
    assert uow.sessions.types() == [ev.SESSION_SCHEDULED.name, ev.SESSION_COMPLETED.name]


def test_a_session_completed_meanwhile_cannot_be_cancelled_and_nothing_is_announced(org, uow, team):
    pair = org.pair(team, "ada", "cy")
    planned = sessions.schedule(uow, employee("cy"), pair["mentorship_id"], WHEN)
    uow.sessions.concurrently = lambda doc: doc.update(status="completed")
    with pytest.raises(Conflict, match="completed session cannot be cancelled"):
        sessions.cancel(uow, employee("cy"), planned["session_id"])
    assert uow.sessions.types() == [ev.SESSION_SCHEDULED.name]


def test_the_invite_names_the_pair_and_a_former_employee_after_erasure(org, uow, team):
    pair = org.pair(team, "ada", "cy")
    planned = sessions.schedule(uow, employee("cy"), pair["mentorship_id"], WHEN)
    lines = list(unfold(invites.invite(uow, employee("ada"), planned["session_id"])))
    assert "SUMMARY:Mentoring session: Ada Lovelace & Cy Young" in lines
    assert "DTSTART:20250304T143000Z" in lines and "DTEND:20250304T151500Z" in lines
    with pytest.raises(Forbidden):
        invites.invite(uow, employee("di"), planned["session_id"])
    directory.profile_erased(uow, "cy", 2)
    text = invites.invite(uow, employee("ada"), planned["session_id"])
    assert "Cy Young" not in text and "Former employee" in text


def test_feedback_comes_from_the_pair_and_its_comment_stays_with_the_pair(org, uow, team):
    pair = org.pair(team, "ada", "cy")
    for stranger in (ADMIN, employee("di")):
        with pytest.raises(Forbidden):
            feedback.give_feedback(uow, stranger, pair["mentorship_id"], {"rating": 5})
    with pytest.raises(Invalid):
        feedback.give_feedback(uow, employee("cy"), pair["mentorship_id"], {"rating": 4, "session_id": "nope"})
    given = feedback.give_feedback(uow, employee("cy"), pair["mentorship_id"], {"rating": 2, "comment": "hm"})
    assert (given["author_role"], given["rating"]) == ("mentee", 2)
    assert feedback.list_feedback(uow, employee("ada"), pair["mentorship_id"], limit=5, cursor=None)["items"][0][
        "comment"] == "hm"
    assert "comment" not in feedback.list_feedback(uow, ADMIN, pair["mentorship_id"], limit=5, cursor=None)["items"][0]
    with pytest.raises(Forbidden):
        feedback.list_feedback(uow, employee("di"), pair["mentorship_id"], limit=5, cursor=None)
    assert "hm" not in str(uow.feedback.published[0].data)


def test_feedback_needs_an_active_or_ended_pair(org, uow, team):
    proposal = org.pair(team, "ada", "cy", accepted=False)
    with pytest.raises(Conflict):
        feedback.give_feedback(uow, employee("cy"), proposal["mentorship_id"], {"rating": 3})


@pytest.mark.parametrize(("scheduled_at", "minutes"), [("9999-12-31T23:00:00.000000Z", 480), ("not a time", 60)])
def test_the_invite_of_a_stored_session_no_calendar_holds_is_a_conflict(org, uow, team, scheduled_at, minutes):
    pair = org.pair(team, "ada", "cy")
    planned = sessions.schedule(uow, employee("cy"), pair["mentorship_id"], WHEN)
    uow.sessions.docs[planned["session_id"]].update(scheduled_at=scheduled_at, duration_minutes=minutes)
    with pytest.raises(Conflict, match="no calendar can hold"):
        invites.invite(uow, employee("ada"), planned["session_id"])
