"""Mentorship, session and feedback rules: what may happen when, and what it changes."""

import pytest

from services.matching.domain import lifecycle
from shared.errors import Conflict

NOW = "2025-03-01T10:00:00.000000Z"


def mentorship(status: str = "proposed", **extra) -> dict:
    return {"mentorship_id": "m-1", "mentor_id": "mentor", "mentee_id": "mentee", "status": status, "version": 1,
            **extra}


@pytest.mark.parametrize(("action", "target"), [("accept", "active"), ("decline", "declined"), ("end", "ended")])
def test_a_proposal_can_be_accepted_declined_or_ended(action, target):
    changes = lifecycle.transition(mentorship("proposed"), action, NOW, "completed")
    assert changes["status"] == target
    assert changes["version"] == 2


def test_accepting_starts_the_mentorship_and_keeps_its_capacity():
    changes = lifecycle.transition(mentorship("proposed"), "accept", NOW)
    assert changes["started_at"] == NOW
    assert "mentor_slot" not in changes and "ended_at" not in changes


def test_ending_an_active_mentorship_records_when_and_why_and_frees_the_mentor():
    changes = lifecycle.transition(mentorship("active"), "end", NOW, "not_a_fit")
    assert (changes["ended_at"], changes["end_reason"]) == (NOW, "not_a_fit")
    assert changes["mentor_slot"] == changes["mentee_slot"] == "closed#m-1"


def test_declining_gives_the_reason_declined_by_default():
    assert lifecycle.transition(mentorship("proposed"), "decline", NOW)["end_reason"] == "declined"


@pytest.mark.parametrize(("status", "action"), [
    ("active", "accept"), ("active", "decline"), ("declined", "accept"), ("declined", "end"),
    ("ended", "end"), ("ended", "accept"), ("declined", "decline")])
def test_invalid_transitions_are_conflicts(status, action):
    with pytest.raises(Conflict):
        lifecycle.transition(mentorship(status), action, NOW)


def test_free_mentor_slots_never_exceed_capacity():
    held = {"mentor#0", "mentor#2"}
    assert lifecycle.free_mentor_slots("mentor", 4, held, 5) == ["mentor#1", "mentor#3"]
    assert lifecycle.free_mentor_slots("mentor", 2, held, 1) == []


def test_a_lowered_capacity_leaves_no_room_while_old_pairs_still_hold_it():
    held = {"mentor#1", "mentor#2"}  # capacity was 3, is now 2: slot 0 is free but the mentor is full
    assert lifecycle.free_mentor_slots("mentor", 2, held, 1) == []


def test_member_role():
    m = mentorship()
    assert lifecycle.member_role(m, "mentor") == "mentor"
    assert lifecycle.member_role(m, "mentee") == "mentee"
    assert lifecycle.member_role(m, "someone") is None
    assert lifecycle.member_role(m, None) is None


def test_sessions_are_scheduled_only_for_active_pairs():
    lifecycle.check_can_schedule(mentorship("active"))
    for status in ("proposed", "declined", "ended"):
        with pytest.raises(Conflict):
            lifecycle.check_can_schedule(mentorship(status))


def test_a_scheduled_session_can_be_completed_or_cancelled_once():
    session = {"status": "scheduled"}
    assert lifecycle.session_transition(session, "complete", NOW) == {"status": "completed", "completed_at": NOW}
    assert lifecycle.session_transition(session, "cancel", NOW) == {"status": "cancelled", "cancelled_at": NOW}
    for status in ("completed", "cancelled"):
        with pytest.raises(Conflict):
            lifecycle.session_transition({"status": status}, "complete", NOW)


def test_feedback_is_for_active_or_ended_pairs():
    lifecycle.check_can_give_feedback(mentorship("active"))
    lifecycle.check_can_give_feedback(mentorship("ended"))
    for status in ("proposed", "declined"):
        with pytest.raises(Conflict):
            lifecycle.check_can_give_feedback(mentorship(status))
