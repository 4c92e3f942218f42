"""A pair's history backfilled on the fakes: enrolled, proposed, accepted, met and rated in the past,
each write at its own moment, announced as history, audited in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.matching.use_cases import enrollments, feedback, mentorships, proposals, sessions
from shared.errors import Forbidden, Invalid
from shared.events import catalog as ev
from shared.timeutil import utcnow
from tests.unit.matching.use_cases.conftest import ADMIN, at, days_ago, employee


def pair_at(uow, program_id: str, proposed: float, started: float) -> dict:
    proposal = proposals.propose(uow, program_id, "ada", "cy", "admin-1", days_ago(proposed))
    return mentorships.act_on(uow, ADMIN, proposal["mentorship_id"], "accept", None, days_ago(started))


def test_a_backfilled_enrollment_is_stored_announced_and_audited_at_its_own_moment(uow, history):
    enrolled = uow.enrollments.get(history, "cy")
    [event] = [e for e in uow.enrollments.published if e.data["employee_id"] == "cy"]
    assert event.data["at"] == enrolled["enrolled_at"] and event.data["backfilled"] is True
    assert event.time > enrolled["enrolled_at"]  # the CloudEvents time stays the moment it was created
    entry = next(e for e in uow.backfills.entries if e["employee_ids"] == ["cy"])
    assert {k: entry[k] for k in ("operation", "aggregate_id", "occurred_at", "by")} == {
        "operation": "enrollment.created", "aggregate_id": history, "occurred_at": enrolled["enrolled_at"],
        "by": "admin-1"}
    assert uow.commits == 2  # each backfilled write was one transaction


def test_a_live_write_announces_no_history_and_audits_nothing(org, uow, history):
    org.hire("di", grade=4)
    enrollments.enroll(uow, history, "di", "mentee")
    assert "backfilled" not in uow.enrollments.published[-1].data
    assert len(uow.backfills.entries) == 2 and uow.commits == 2


def test_a_proposal_follows_both_enrollments_and_is_proposed_then(uow, history):
    with pytest.raises(Invalid) as raised:
        proposals.propose(uow, history, "ada", "cy", "admin-1", days_ago(181))
    assert "the mentor's enrollment" in raised.value.errors["occurred_at"][0]
    assert uow.mentorships.docs == {} and len(uow.backfills.entries) == 2
    when = days_ago(170)
    proposal = proposals.propose(uow, history, "ada", "cy", "admin-1", when)
    assert proposal["created_at"] == at(when)
    assert uow.mentorships.published[-1].data["backfilled"] is True
    assert uow.backfills.entries[-1]["operation"] == "mentorship.proposed"


def test_a_pair_starts_after_its_proposal_and_ends_after_its_start(uow, history):
    proposal = proposals.propose(uow, history, "ada", "cy", "admin-1", days_ago(170))
    with pytest.raises(Invalid):
        mentorships.act_on(uow, ADMIN, proposal["mentorship_id"], "accept", None, days_ago(171))
    started, finished = days_ago(165), days_ago(30)
    active = mentorships.act_on(uow, ADMIN, proposal["mentorship_id"], "accept", None, started)
    with pytest.raises(Invalid, match="the start"):
        mentorships.act_on(uow, ADMIN, proposal["mentorship_id"], "end", "completed", days_ago(166))
    ended = mentorships.act_on(uow, ADMIN, proposal["mentorship_id"], "end", "completed", finished)
    assert (active["started_at"], ended["ended_at"]) == (at(started), at(finished))
    assert uow.mentorships.get(proposal["mentorship_id"])["ended_at"] == at(finished)
    assert [e.data.get("backfilled") for e in uow.mentorships.published] == [True, True, True]
    assert [e["operation"] for e in uow.backfills.entries[2:]] == ["mentorship.proposed", "mentorship.started",
                                                                  "mentorship.ended"]


def test_a_session_is_held_after_it_began_and_an_end_cancels_the_rest_no_earlier_than_their_creation(uow, history):
    pair = pair_at(uow, history, 170, 165)
    body = {"scheduled_at": utcnow() - timedelta(days=100), "duration_minutes": 45}
    logged, held = days_ago(110), days_ago(99)
    created = sessions.schedule(uow, ADMIN, pair["mentorship_id"], body, logged)
    with pytest.raises(Invalid, match="the session's start"):
        sessions.complete(uow, ADMIN, created["session_id"], None, None, days_ago(101))
    done = sessions.complete(uow, ADMIN, created["session_id"], None, ["g-1"], held)
    assert (created["created_at"], done["status"], done["completed_at"]) == (at(logged), "completed", at(held))
    assert uow.sessions.published[1].data["completed_at"] == at(held)
    planned = sessions.schedule(uow, ADMIN, pair["mentorship_id"], body, days_ago(50))
    mentorships.act_on(uow, ADMIN, pair["mentorship_id"], "end", "completed", days_ago(60))
    cancelled = uow.sessions.get(planned["session_id"])
    assert (cancelled["status"], cancelled["cancelled_at"]) == ("cancelled", planned["created_at"])
    assert uow.sessions.types() == [ev.SESSION_SCHEDULED.name, ev.SESSION_COMPLETED.name,
                                    ev.SESSION_SCHEDULED.name, ev.SESSION_CANCELLED.name]
    assert all(e.data["backfilled"] for e in uow.sessions.published)


def test_a_session_is_not_backfilled_before_the_pair_began(uow, history):
    pair = pair_at(uow, history, 170, 165)
    with pytest.raises(Invalid, match="the mentorship's start"):
        sessions.schedule(uow, ADMIN, pair["mentorship_id"], {"scheduled_at": utcnow(), "duration_minutes": 30},
                          days_ago(166))
    assert uow.sessions.docs == {}


def test_an_admin_backfills_a_members_rating_but_never_their_comment(uow, history):
    pair = pair_at(uow, history, 170, 165)
    path = pair["mentorship_id"]
    with pytest.raises(Invalid, match="author_id"):
        feedback.give_feedback(uow, ADMIN, path, {"rating": 4, "author_id": "di"}, days_ago(100))
    with pytest.raises(Forbidden, match="private to the pair"):
        feedback.give_feedback(uow, ADMIN, path, {"rating": 4, "author_id": "cy", "comment": "hm"}, days_ago(100))
    with pytest.raises(Invalid, match="the mentorship's start"):
        feedback.give_feedback(uow, ADMIN, path, {"rating": 4, "author_id": "cy"}, days_ago(166))
    with pytest.raises(Invalid, match="send it with occurred_at"):
        feedback.give_feedback(uow, employee("cy"), path, {"rating": 4, "author_id": "cy"})
    given = feedback.give_feedback(uow, ADMIN, path, {"rating": 2, "author_id": "cy"}, days_ago(100))
    assert (given["author_id"], given["author_role"], given["rating"]) == ("cy", "mentee", 2)
    data = uow.feedback.published[-1].data
    assert (data["submitted_at"], data["backfilled"], "comment" in data) == (given["submitted_at"], True, False)
    assert uow.backfills.entries[-1]["operation"] == "feedback.submitted"
