"""People leaving the company: terminated or erased, they leave every program and their pairs end."""

from __future__ import annotations

from tests.integration.matching.support import profile, wait_unique
from tests.support.polling import wait_for


def ended_with(tandem, mentorship_id: str, reason: str):
    return wait_for(lambda: (m := tandem.mentorship(mentorship_id))["status"] == "ended" and m,
                    message=f"mentorship {mentorship_id} to end ({reason})")


def test_erasure_ends_the_pairs_and_forgets_the_person(tandem, uid, taps):
    ids = {n: f"{uid}-{n}" for n in ("mentor", "mentee")}
    tandem.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=9))
    tandem.hire(ids["mentee"], profile(f"Erin Erased {uid}", grade=3))
    program_id = tandem.program(f"Erasure {uid}")
    tandem.enroll(program_id, ids["mentor"], "mentor")
    tandem.enroll(program_id, ids["mentee"], "mentee")
    mentorship = tandem.active_pair(program_id, ids["mentor"], ids["mentee"])
    session = tandem.as_person(ids["mentor"]).post(f"/v1/mentorships/{mentorship['mentorship_id']}/sessions",
                                                   json={"scheduled_at": "2031-01-01T10:00:00Z"}).json()

    assert tandem.hr.delete(f"/v1/profiles/{ids['mentee']}").status_code == 204

    ended = ended_with(tandem, mentorship["mentorship_id"], "erased")
    assert ended["end_reason"] == "erased"
    wait_for(lambda: tandem.admin.get(f"/v1/sessions/{session['session_id']}").json()["status"] == "cancelled",
             message="the pair's planned session to be cancelled")
    invite = tandem.as_person(ids["mentor"]).get(f"/v1/sessions/{session['session_id']}.ics").text
    assert "Erin Erased" not in invite and "Former employee" in invite
    ended_events = wait_unique(taps("mentoring.mentorships"), lambda e: e["subject"] == mentorship["mentorship_id"]
                               and e["type"] == "mentoring.mentorship.ended", 1)
    assert ended_events[0]["data"]["reason"] == "erased"
    withdrawn = wait_unique(taps("mentoring.programs"), lambda e: e["type"] == "mentoring.enrollment.withdrawn"
                            and e["data"]["employee_id"] == ids["mentee"], 1)
    assert withdrawn[0]["data"]["reason"] == "erased"
    again = tandem.admin.post(f"/v1/programs/{program_id}/enrollments",
                              json={"employee_id": ids["mentee"], "role": "mentee"})
    assert again.status_code == 404


def test_a_terminated_person_leaves_every_program(tandem, uid, taps):
    ids = {n: f"{uid}-{n}" for n in ("mentor", "mentee")}
    mentor_profile = profile(f"Leaving {uid}", roles=("mentor",), grade=9)
    tandem.hire(ids["mentor"], mentor_profile)
    tandem.hire(ids["mentee"], profile(f"Staying {uid}", grade=3))
    first, second = tandem.program(f"Leave A {uid}"), tandem.program(f"Leave B {uid}")
    for program_id in (first, second):
        tandem.enroll(program_id, ids["mentor"], "mentor")
    tandem.enroll(first, ids["mentee"], "mentee")
    proposal = tandem.propose(first, ids["mentor"], ids["mentee"])

    tandem.hire(ids["mentor"], {**mentor_profile, "employment_status": "terminated"})

    assert ended_with(tandem, proposal["mentorship_id"], "left_company")["end_reason"] == "left_company"
    withdrawn = wait_unique(taps("mentoring.programs"), lambda e: e["type"] == "mentoring.enrollment.withdrawn"
                            and e["data"]["employee_id"] == ids["mentor"], 2)
    assert {e["subject"] for e in withdrawn} == {first, second}
    assert {e["data"]["reason"] for e in withdrawn} == {"left_company"}
    enrolled = tandem.admin.get(f"/v1/programs/{second}/enrollments").json()["items"]
    assert [(e["employee_id"], e["status"]) for e in enrolled] == [(ids["mentor"], "withdrawn")]
    back = tandem.admin.post(f"/v1/programs/{second}/enrollments", json={"employee_id": ids["mentor"],
                                                                          "role": "mentor"})
    assert back.status_code == 409


def test_withdrawing_from_a_program_ends_the_pair_there(tandem, uid):
    ids = {n: f"{uid}-{n}" for n in ("mentor", "mentee")}
    tandem.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=9))
    tandem.hire(ids["mentee"], profile(f"Quitter {uid}", grade=3))
    program_id = tandem.program(f"Withdraw {uid}")
    tandem.enroll(program_id, ids["mentor"], "mentor")
    tandem.enroll(program_id, ids["mentee"], "mentee")
    mentorship = tandem.active_pair(program_id, ids["mentor"], ids["mentee"])
    mentee = tandem.as_person(ids["mentee"])
    assert mentee.delete(f"/v1/programs/{program_id}/enrollments/{ids['mentor']}").status_code == 403
    assert mentee.delete(f"/v1/programs/{program_id}/enrollments/{ids['mentee']}").status_code == 204
    assert tandem.mentorship(mentorship["mentorship_id"])["end_reason"] == "withdrawn"
    assert mentee.delete(f"/v1/programs/{program_id}/enrollments/{ids['mentee']}").status_code == 204
