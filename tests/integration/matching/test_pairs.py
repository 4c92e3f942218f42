"""A pair's life: accept, decline, end; sessions with their invite; feedback whose comment stays private."""

from __future__ import annotations

import pytest

from tests.integration.matching.support import profile, wait_unique


@pytest.fixture
def pair(tandem, uid):
    """A program with two mentors and two mentees, all known to matching."""
    ids = {n: f"{uid}-{n}" for n in ("mentor", "mentor2", "mentee", "mentee2")}
    tandem.hire(ids["mentor"], profile(f"Grace Hopper{uid}", roles=("mentor",), grade=9, capacity=2))
    tandem.hire(ids["mentor2"], profile(f"Edsger {uid}", roles=("mentor",), grade=9))
    tandem.hire(ids["mentee"], profile(f"Linus {uid}", grade=3))
    tandem.hire(ids["mentee2"], profile(f"Ken {uid}", grade=3))
    program_id = tandem.program(f"Pairs {uid}")
    for role in ("mentor", "mentor2"):
        tandem.enroll(program_id, ids[role], "mentor")
    for role in ("mentee", "mentee2"):
        tandem.enroll(program_id, ids[role], "mentee")
    return program_id, ids


def test_accept_decline_and_end_follow_the_lifecycle(tandem, pair, taps):
    program_id, ids = pair
    proposal = tandem.propose(program_id, ids["mentor"], ids["mentee"])
    path = f"/v1/mentorships/{proposal['mentorship_id']}"
    assert tandem.as_person(ids["mentee"]).post(path + "/accept").status_code == 403
    accepted = tandem.as_person(ids["mentor"]).post(path + "/accept")
    assert (accepted.status_code, accepted.json()["status"]) == (200, "active")
    assert accepted.json()["started_at"]
    assert tandem.as_person(ids["mentor"]).post(path + "/accept").status_code == 409
    assert tandem.as_person(ids["mentor"]).post(path + "/decline").status_code == 409
    ended = tandem.as_person(ids["mentee"]).post(path + "/end", json={"reason": "completed"})
    assert (ended.json()["status"], ended.json()["end_reason"]) == ("ended", "completed")
    assert tandem.admin.post(path + "/end", json={}).status_code == 409

    second = tandem.propose(program_id, ids["mentor2"], ids["mentee2"])
    declined = tandem.as_person(ids["mentor2"]).post(f"/v1/mentorships/{second['mentorship_id']}/decline")
    assert declined.json()["status"] == "declined"
    pair_ids = (proposal["mentorship_id"], second["mentorship_id"])
    events = wait_unique(taps("mentoring.mentorships"), lambda e: e["subject"] in pair_ids, 5)
    # order is guaranteed per mentorship (its key), not across two of them
    by_pair = {m: [e["type"].rsplit(".", 1)[1] for e in events if e["subject"] == m] for m in pair_ids}
    assert by_pair == {pair_ids[0]: ["proposed", "started", "ended"], pair_ids[1]: ["proposed", "declined"]}
    assert next(e for e in events if e["type"].endswith(".ended"))["data"]["reason"] == "completed"


def test_hand_made_matches_respect_capacity_and_one_open_pair_per_mentee(tandem, pair):
    program_id, ids = pair
    tandem.propose(program_id, ids["mentor2"], ids["mentee"])
    twice = tandem.admin.post("/v1/mentorships", json={"program_id": program_id, "mentor_id": ids["mentor"],
                                                        "mentee_id": ids["mentee"]})
    assert twice.status_code == 409
    full = tandem.admin.post("/v1/mentorships", json={"program_id": program_id, "mentor_id": ids["mentor2"],
                                                       "mentee_id": ids["mentee2"]})
    assert full.status_code == 409 and "capacity" in full.json()["detail"]
    self_match = tandem.as_person(ids["mentee2"]).post(
        "/v1/mentorships", json={"program_id": program_id, "mentor_id": ids["mentor"], "mentee_id": ids["mentee2"]})
    assert (self_match.status_code, self_match.json()["status"]) == (201, "proposed")
    not_mine = tandem.as_person(ids["mentee2"]).post(
        "/v1/mentorships", json={"program_id": program_id, "mentor_id": ids["mentor"], "mentee_id": ids["mentee"]})
    assert not_mine.status_code == 403
    assert tandem.admin.post("/v1/mentorships", json={"program_id": program_id}).status_code == 422


def test_sessions_are_scheduled_completed_and_exported_without_notes(tandem, pair, taps, uid):
    program_id, ids = pair
    mentorship = tandem.active_pair(program_id, ids["mentor"], ids["mentee"])
    mentee = tandem.as_person(ids["mentee"])
    body = {"scheduled_at": "2025-03-04T15:30:00+01:00", "duration_minutes": 45, "agenda": "Career goals"}
    created = mentee.post(f"/v1/mentorships/{mentorship['mentorship_id']}/sessions", json=body)
    assert created.status_code == 201, created.text
    session = created.json()
    assert tandem.as_person(f"{uid}-stranger").post(f"/v1/mentorships/{mentorship['mentorship_id']}/sessions",
                                                    json=body).status_code == 403

    invite = mentee.get(f"/v1/sessions/{session['session_id']}.ics")
    assert invite.status_code == 200 and invite.headers["Content-Type"].startswith("text/calendar")
    text = invite.text.replace("\r\n ", "")
    assert f"UID:{session['session_id']}@tandem" in text
    assert "DTSTART:20250304T143000Z" in text and "DTEND:20250304T151500Z" in text
    assert f"SUMMARY:Mentoring session: Grace Hopper{uid} & Linus {uid}" in text

    secret = f"private note {uid}"
    by_admin = tandem.admin.post(f"/v1/sessions/{session['session_id']}/complete", json={"notes": secret})
    assert by_admin.status_code == 403  # notes are the pair's to write
    done = tandem.as_person(ids["mentor"]).post(f"/v1/sessions/{session['session_id']}/complete",
                                                json={"notes": secret, "goal_ids": ["g-1"]})
    assert (done.status_code, done.json()["status"], done.json()["notes"]) == (200, "completed", secret)
    assert "notes" not in tandem.admin.get(f"/v1/sessions/{session['session_id']}").json()
    assert mentee.get(f"/v1/sessions/{session['session_id']}").json()["notes"] == secret
    assert secret not in mentee.get(f"/v1/sessions/{session['session_id']}.ics").text
    assert mentee.post(f"/v1/sessions/{session['session_id']}/cancel").status_code == 409

    events = wait_unique(taps("mentoring.sessions"), lambda e: e["data"]["session_id"] == session["session_id"],
                         2)
    assert [e["type"] for e in events] == ["mentoring.session.scheduled", "mentoring.session.completed"]
    assert all(e["subject"] == mentorship["mentorship_id"] for e in events)
    assert events[1]["data"]["goal_ids"] == ["g-1"]
    assert not any(secret.encode() in r.value for r in taps("mentoring.sessions").records)


def test_sessions_need_an_active_pair(tandem, pair):
    program_id, ids = pair
    proposal = tandem.propose(program_id, ids["mentor"], ids["mentee2"])
    response = tandem.admin.post(f"/v1/mentorships/{proposal['mentorship_id']}/sessions",
                                 json={"scheduled_at": "2025-04-01T09:00:00Z"})
    assert response.status_code == 409
    bad = tandem.admin.post(f"/v1/mentorships/{proposal['mentorship_id']}/sessions",
                            json={"scheduled_at": "next tuesday"})
    assert bad.status_code == 422


def test_feedback_comes_from_the_pair_and_its_comment_never_leaves(tandem, pair, taps, uid):
    program_id, ids = pair
    mentorship = tandem.active_pair(program_id, ids["mentor"], ids["mentee"])
    path = f"/v1/mentorships/{mentorship['mentorship_id']}/feedback"
    comment = f"candid comment {uid}"
    assert tandem.as_person(ids["mentee2"]).post(path, json={"rating": 5}).status_code == 403
    assert tandem.admin.post(path, json={"rating": 5}).status_code == 403
    assert tandem.as_person(ids["mentee"]).post(path, json={"rating": 6}).status_code == 422
    given = tandem.as_person(ids["mentee"]).post(path, json={"rating": 2, "comment": comment})
    assert given.status_code == 201 and given.json()["feedback_id"]

    assert tandem.as_person(ids["mentor"]).get(path).json()["items"][0]["comment"] == comment
    admin_view = tandem.admin.get(path).json()["items"][0]
    assert admin_view["rating"] == 2 and "comment" not in admin_view
    assert tandem.as_person(ids["mentee2"]).get(path).status_code == 403

    events = wait_unique(taps("mentoring.feedback"), lambda e: e["subject"] == mentorship["mentorship_id"], 1)
    assert events[0]["data"]["rating"] == 2 and events[0]["data"]["author_role"] == "mentee"
    assert "comment" not in events[0]["data"]
    assert not any(comment.encode() in r.value for r in taps("mentoring.feedback").records)
