"""Suggestions: ranked mentors with reasons; the reporting line and full mentors never appear."""

from __future__ import annotations

from tests.integration.matching.support import profile


def test_suggestions_leave_out_the_reporting_line_and_mentors_without_room(tandem, uid):
    ids = {n: f"{uid}-{n}" for n in ("boss", "lead", "mentee", "outsider", "busy", "other")}
    tandem.hire(ids["boss"], profile(f"Boss {uid}", roles=("mentor",), grade=12, skills=(("python", 5),)))
    tandem.hire(ids["lead"], profile(f"Lead {uid}", roles=("mentor",), grade=9, manager_id=ids["boss"],
                                     skills=(("python", 5),)))
    tandem.hire(ids["mentee"], profile(f"Mia {uid}", grade=4, manager_id=ids["lead"], skills=(("python", 1),)))
    tandem.hire(ids["outsider"], profile(f"Omar {uid}", roles=("mentor",), grade=8, department="Finance",
                                         skills=(("python", 4),)))
    tandem.hire(ids["busy"], profile(f"Bea {uid}", roles=("mentor",), grade=8, capacity=1, skills=(("python", 5),)))
    tandem.hire(ids["other"], profile(f"Olle {uid}", grade=3))
    program_id, elsewhere = tandem.program(f"Suggest {uid}"), tandem.program(f"Elsewhere {uid}")
    for who in ("boss", "lead", "outsider", "busy"):
        tandem.enroll(program_id, ids[who], "mentor")
    tandem.enroll(program_id, ids["mentee"], "mentee")
    tandem.enroll(elsewhere, ids["busy"], "mentor")
    tandem.enroll(elsewhere, ids["other"], "mentee")
    taken = tandem.propose(elsewhere, ids["busy"], ids["other"])  # Bea's only slot, in another program

    suggestions = tandem.admin.get(f"/v1/programs/{program_id}/suggestions",
                                   params={"mentee_id": ids["mentee"], "limit": 10}).json()
    assert [s["mentor_id"] for s in suggestions] == [ids["outsider"]]
    best = suggestions[0]
    assert 0 < best["score"] <= 1 and round(best["score"], 6) == best["score"]
    assert set(best["breakdown"]) == {"skills", "goals", "seniority", "cross_department", "language", "timezone"}
    assert best["reasons"] and all(isinstance(r, str) for r in best["reasons"])

    declined = tandem.as_person(ids["busy"]).post(f"/v1/mentorships/{taken['mentorship_id']}/decline")
    assert declined.status_code == 200
    again = tandem.admin.get(f"/v1/programs/{program_id}/suggestions", params={"mentee_id": ids["mentee"]}).json()
    assert {s["mentor_id"] for s in again} == {ids["outsider"], ids["busy"]}
    scores = [s["score"] for s in again]
    assert scores == sorted(scores, reverse=True)


def test_a_mentee_sees_their_own_suggestions_but_not_someone_elses(tandem, uid):
    program_id = tandem.program(f"Own suggestions {uid}")
    tandem.hire(f"{uid}-me", profile(f"Me {uid}"))
    tandem.enroll(program_id, f"{uid}-me", "mentee")
    me = tandem.as_person(f"{uid}-me")
    assert me.get(f"/v1/programs/{program_id}/suggestions", params={"mentee_id": f"{uid}-me"}).status_code == 200
    other = me.get(f"/v1/programs/{program_id}/suggestions", params={"mentee_id": f"{uid}-you"})
    assert other.status_code == 403
    missing = tandem.admin.get(f"/v1/programs/{program_id}/suggestions")
    assert missing.status_code == 422 and "mentee_id" in missing.json()["errors"]
