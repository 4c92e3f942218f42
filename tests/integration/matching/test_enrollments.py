"""People reach matching from the profiles service; enrollment checks who they are and what they do."""

from __future__ import annotations

import json

from tests.integration.matching.support import profile, wait_unique


def test_a_person_hr_just_created_can_be_enrolled_once_matching_knows_them(tandem, uid, taps):
    program_id = tandem.program(f"Enrollment {uid}")
    ghost = tandem.admin.post(f"/v1/programs/{program_id}/enrollments",
                              json={"employee_id": f"{uid}-ghost", "role": "mentee"})
    assert ghost.status_code == 404
    assert ghost.headers["Content-Type"].startswith("application/problem+json")
    tandem.hire(f"{uid}-ana", profile(f"Ana {uid}", roles=("mentee",)))

    first = tandem.enroll(program_id, f"{uid}-ana", "mentee")
    again = tandem.admin.post(f"/v1/programs/{program_id}/enrollments",
                              json={"employee_id": f"{uid}-ana", "role": "mentee"})
    assert (first["status"], again.status_code, again.json()["enrolled_at"]) == ("active", 200, first["enrolled_at"])
    wrong_role = tandem.admin.post(f"/v1/programs/{program_id}/enrollments",
                                   json={"employee_id": f"{uid}-ana", "role": "mentor"})
    assert wrong_role.status_code == 409
    events = wait_unique(taps("mentoring.programs"), lambda e: e["type"] == "mentoring.enrollment.created"
                         and e["subject"] == program_id, 1)
    assert events[0]["data"]["employee_id"] == f"{uid}-ana" and len(events) == 1


def test_enrollment_needs_the_role_in_the_profile_and_an_employed_person(tandem, uid):
    program_id = tandem.program(f"Roles {uid}")
    tandem.hire(f"{uid}-ben", profile(f"Ben {uid}", roles=("mentee",)))
    tandem.hire(f"{uid}-cleo", profile(f"Cleo {uid}", roles=("mentor",), status="terminated"))
    tandem.enroll(program_id, f"{uid}-ben", "mentee")
    as_mentor = tandem.admin.post(f"/v1/programs/{program_id}/enrollments",
                                  json={"employee_id": f"{uid}-ben", "role": "mentor"})
    assert as_mentor.status_code == 409

    cleo = tandem.known(lambda: tandem.admin.post(f"/v1/programs/{program_id}/enrollments",
                                                  json={"employee_id": f"{uid}-cleo", "role": "mentor"}),
                        f"{uid}-cleo")
    assert cleo.status_code == 409 and "left the company" in cleo.json()["detail"]
    bad = tandem.admin.post(f"/v1/programs/{program_id}/enrollments",
                            json={"employee_id": f"{uid}-ben", "role": "boss", "extra": 1})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"role", "extra"}
    assert tandem.admin.post("/v1/programs/nope/enrollments",
                             json={"employee_id": f"{uid}-ben", "role": "mentee"}).status_code == 404


def test_import_keeps_good_rows_and_reports_bad_ones_by_index(tandem, uid, taps):
    staging = tandem.program(f"Staging {uid}")
    for name, roles in (("ann", ("mentee",)), ("bo", ("mentee",)), ("cy", ("mentor",))):
        tandem.hire(f"{uid}-{name}", profile(f"{name} {uid}", roles=roles))
        tandem.enroll(staging, f"{uid}-{name}", roles[0])  # waits until matching knows them
    program_id = tandem.program(f"Import {uid}")
    rows = [{"employee_id": f"{uid}-ann", "role": "mentee"}, {"employee_id": f"{uid}-bo", "role": "mentee"},
            {"employee_id": f"{uid}-cy", "role": "mentor"}, {"employee_id": f"{uid}-ghost", "role": "mentee"},
            {"employee_id": f"{uid}-cy", "role": "mentee"}, {"employee_id": "not valid!", "role": "mentee"},
            {"employee_id": f"{uid}-ann", "role": "mentee"}, "not an object", {"employee_id": f"{uid}-bo"}]
    response = tandem.admin.post(f"/v1/programs/{program_id}/enrollments:import", data=json.dumps(rows),
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    report = response.json()
    # of repeated rows the last is applied (shared.bulk_import): ann's row 6 supersedes row 0, and cy's
    # row 4 (as a mentee, a role cy's profile lacks) supersedes row 2
    assert (report["created"], report["unchanged"]) == (2, 0)
    failed = {f["index"]: f["errors"] for f in report["failed"]}
    assert sorted(failed) == [0, 2, 3, 4, 5, 7, 8]
    assert "superseded by row 6" in failed[0]["employee_id"][0] and "superseded by row 4" in failed[2]["employee_id"][0]
    assert "employee_id" in failed[3] and "role" in failed[4] and "role" in failed[8]

    listed = tandem.admin.get(f"/v1/programs/{program_id}/enrollments?status=active").json()["items"]
    assert sorted(e["employee_id"] for e in listed) == [f"{uid}-ann", f"{uid}-bo"]
    again = tandem.admin.post(f"/v1/programs/{program_id}/enrollments:import", json=rows[:3]).json()
    assert (again["created"], again["unchanged"], again["failed"]) == (1, 2, [])
    wait_unique(taps("mentoring.programs"), lambda e: e["type"] == "mentoring.enrollment.created"
                and e["subject"] == program_id, 3)


def test_import_rejects_a_body_that_is_not_an_array(tandem, uid):
    program_id = tandem.program(f"Import shape {uid}")
    response = tandem.admin.post(f"/v1/programs/{program_id}/enrollments:import", json={"employee_id": "x"})
    assert response.status_code == 422
    assert tandem.as_person(f"{uid}-x").post(f"/v1/programs/{program_id}/enrollments:import",
                                              json=[]).status_code == 403
