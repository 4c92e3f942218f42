"""Authorisation over HTTP: tokens, roles, and people seeing only the pairs they are part of."""

from __future__ import annotations

from tests.integration.matching.support import profile
from tests.support.http import Client, bearer


def test_no_token_is_401_and_a_wrong_role_is_403_both_as_problems(tandem, matching):
    anonymous = Client(matching.url).get("/v1/programs")
    assert anonymous.status_code == 401 and anonymous.headers["Content-Type"] == "application/problem+json"
    assert anonymous.json()["status"] == 401
    body = {"name": "x", "starts_on": "2025-01-01", "ends_on": "2025-02-01", "checkin_every_days": 7}
    for roles in (("employee",), ("hr_admin",), ("manager",)):
        forbidden = Client(matching.url, bearer(*roles, employee_id="e-1")).post("/v1/programs", json=body)
        assert forbidden.status_code == 403 and forbidden.json()["title"] == "Forbidden"


def test_program_admins_create_programs_with_defaults_and_validation(tandem, uid):
    created = tandem.admin.post("/v1/programs", json={
        "name": f"Defaults {uid}", "starts_on": "2025-01-06", "ends_on": "2025-06-30", "checkin_every_days": 14,
        "weights": {"skills": 2}, "constraints": {"max_grade_gap": 4}})
    assert created.status_code == 201
    program = tandem.admin.get(f"/v1/programs/{created.json()['program_id']}").json()
    assert program["weights"]["skills"] == 2 and program["weights"]["goals"] > 0
    assert program["constraints"] == {"exclude_reporting_line": True, "max_grade_gap": 4,
                                      "require_shared_language": False}
    assert program["admin_id"] == "admin-1"
    listed = tandem.admin.get("/v1/programs", params={"name": f"Defaults {uid}"}).json()["items"]
    assert [p["program_id"] for p in listed] == [program["program_id"]]
    backwards = tandem.admin.post("/v1/programs", json={"name": "x", "starts_on": "2025-06-01",
                                                         "ends_on": "2025-01-01", "checkin_every_days": 7})
    assert backwards.status_code == 422
    unknown = tandem.admin.post("/v1/programs", json={"name": "x", "starts_on": "2025-06-01", "color": "red",
                                                       "ends_on": "2025-07-01", "checkin_every_days": 7})
    assert unknown.status_code == 422 and "color" in unknown.json()["errors"]


def test_people_see_only_their_own_mentorships_and_managers_their_reports(tandem, uid):
    ids = {n: f"{uid}-{n}" for n in ("boss", "mentor", "mentee", "other")}
    tandem.hire(ids["boss"], profile(f"Boss {uid}", roles=(), grade=12))
    tandem.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=9, capacity=2))
    tandem.hire(ids["mentee"], profile(f"Mentee {uid}", grade=3, manager_id=ids["boss"]))
    tandem.hire(ids["other"], profile(f"Other {uid}", grade=3))
    program_id = tandem.program(f"Visibility {uid}")
    tandem.enroll(program_id, ids["mentor"], "mentor")
    for mentee in ("mentee", "other"):
        tandem.enroll(program_id, ids[mentee], "mentee")
    mine = tandem.propose(program_id, ids["mentor"], ids["mentee"])
    theirs = tandem.propose(program_id, ids["mentor"], ids["other"])

    mentee = tandem.as_person(ids["mentee"])
    assert [m["mentorship_id"] for m in mentee.get("/v1/mentorships").json()["items"]] == [mine["mentorship_id"]]
    assert mentee.get(f"/v1/mentorships/{theirs['mentorship_id']}").status_code == 403
    assert mentee.get("/v1/mentorships", params={"employee_id": ids["other"]}).status_code == 403
    mentor_sees = tandem.as_person(ids["mentor"]).get("/v1/mentorships", params={"program_id": program_id}).json()
    assert len(mentor_sees["items"]) == 2
    boss = tandem.as_person(ids["boss"], "employee", "manager")
    assert boss.get(f"/v1/mentorships/{mine['mentorship_id']}").json()["status"] == "proposed"
    assert boss.get(f"/v1/mentorships/{theirs['mentorship_id']}").status_code == 403
    hr = Client(tandem.matching_url, bearer("hr_admin"))
    assert hr.get(f"/v1/mentorships/{theirs['mentorship_id']}").status_code == 200
    assert hr.post(f"/v1/mentorships/{theirs['mentorship_id']}/accept").status_code == 403
