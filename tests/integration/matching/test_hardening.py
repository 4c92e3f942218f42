"""Hostile-but-legitimate input: dates no calendar holds and control characters are refused (422),
and a session's invite never fails with a 500, whatever is stored."""

from __future__ import annotations

import pytest
from pymongo import MongoClient

from tests.integration.matching.support import profile

PROBLEM = "application/problem+json"


@pytest.fixture
def pair(tandem, uid):
    ids = {n: f"{uid}-{n}" for n in ("mentor", "mentee")}
    tandem.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=9))
    tandem.hire(ids["mentee"], profile(f"Mentee {uid}", grade=3))
    program_id = tandem.program(f"Hardening {uid}")
    tandem.enroll(program_id, ids["mentor"], "mentor")
    tandem.enroll(program_id, ids["mentee"], "mentee")
    return program_id, ids, tandem.active_pair(program_id, ids["mentor"], ids["mentee"])


def is_problem(response, status: int) -> bool:
    return response.status_code == status and response.headers["Content-Type"].startswith(PROBLEM)


@pytest.mark.parametrize("body", [{"scheduled_at": "9999-12-31T23:00:00Z", "duration_minutes": 480},
                                  {"scheduled_at": "0001-01-01T00:00:00+14:00"},
                                  {"scheduled_at": "9999-12-31T23:59:59-14:00"}])
def test_a_session_no_calendar_can_hold_is_refused(tandem, pair, body):
    _, _, mentorship = pair
    response = tandem.admin.post(f"/v1/mentorships/{mentorship['mentorship_id']}/sessions", json=body)
    assert is_problem(response, 422) and "scheduled_at" in response.json()["errors"], response.text


def test_an_at_risk_instant_no_calendar_can_hold_is_refused(tandem, pair):
    program_id, _, _ = pair
    response = tandem.admin.get(f"/v1/programs/{program_id}/at-risk", params={"as_of": "0001-01-01T00:00:00+14:00"})
    assert is_problem(response, 422) and "as_of" in response.json()["errors"], response.text


def test_the_invite_of_a_stored_session_beyond_the_calendar_is_a_problem_not_a_500(tandem, pair, infra, uid):
    _, ids, mentorship = pair
    session = tandem.admin.post(f"/v1/mentorships/{mentorship['mentorship_id']}/sessions",
                                json={"scheduled_at": "2031-01-01T10:00:00Z"}).json()
    store = MongoClient(infra.mongodb_uri)[infra.mongodb_db]
    # as a session written before the API refused such times would be stored
    beyond = {"scheduled_at": "9999-12-31T23:00:00.000000Z", "duration_minutes": 480}
    store.matching_sessions.update_one({"_id": session["session_id"]}, {"$set": beyond})
    response = tandem.as_person(ids["mentee"]).get(f"/v1/sessions/{session['session_id']}.ics")
    assert is_problem(response, 409), response.text


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/v1/programs", {"name": "Spring\r\nBcc: everyone", "starts_on": "2025-01-06", "ends_on": "2025-06-30",
                              "checkin_every_days": 14}),
    ("POST", "/v1/programs/{program_id}/enrollments", {"employee_id": "{mentee}\n", "role": "mentee"}),
    ("POST", "/v1/mentorships", {"program_id": "{program_id}\n", "mentor_id": "{mentor}", "mentee_id": "{mentee}"}),
    ("POST", "/v1/mentorships/{mentorship_id}/end", {"reason": "completed\n"}),
    ("POST", "/v1/mentorships/{mentorship_id}/sessions", {"scheduled_at": "2031-01-01T10:00:00Z",
                                                          "agenda": "Plans\u0000hidden"}),
    ("POST", "/v1/mentorships/{mentorship_id}/sessions", {"scheduled_at": "2031-01-01T10:00:00Z",
                                                          "goal_ids": ["g-1\n"]}),
    ("POST", "/v1/mentorships/{mentorship_id}/feedback", {"rating": 4, "session_id": "s-1\n"}),
    ("GET", "/v1/programs/{program_id}/suggestions?mentee_id={mentee}%0A", None),
    ("GET", "/v1/mentorships?employee_id={mentee}%0A", None),
    ("GET", "/v1/programs?name=Spring%0D%0A", None),
    ("GET", "/v1/programs/{program_id}%0A", None),
    ("GET", "/v1/mentorships/{mentorship_id}%0A", None),
    ("DELETE", "/v1/programs/{program_id}/enrollments/{mentee}%0A", None),
])
def test_control_characters_in_one_line_fields_and_ids_are_refused(tandem, pair, method, path, body):
    program_id, ids, mentorship = pair
    values = {"program_id": program_id, "mentorship_id": mentorship["mentorship_id"], **ids}
    filled = {k: v.format(**values) if isinstance(v, str) else v for k, v in (body or {}).items()}
    response = tandem.admin.request(method, path.format(**values), **({"json": filled} if body else {}))
    assert is_problem(response, 422), (response.status_code, response.text)


def test_free_text_keeps_its_line_breaks(tandem, pair):
    _, ids, mentorship = pair
    agenda = "Goals for Q3:\n\t- feedback\n\t- next role"
    created = tandem.as_person(ids["mentee"]).post(f"/v1/mentorships/{mentorship['mentorship_id']}/sessions",
                                                   json={"scheduled_at": "2031-01-01T10:00:00Z", "agenda": agenda})
    assert created.status_code == 201 and created.json()["agenda"] == agenda
