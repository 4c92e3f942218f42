"""At-risk: active pairs without sessions, with low ratings or stalled goals, and who could take over."""

from __future__ import annotations

from datetime import timedelta

from shared.timeutil import to_rfc3339, utcnow
from tests.integration.matching.support import profile
from tests.support.polling import wait_for


def test_at_risk_lists_troubled_pairs_with_signals_and_alternatives(tandem, uid):
    ids = {n: f"{uid}-{n}" for n in ("mentor", "spare", "worried", "fine")}
    tandem.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=9, capacity=2))
    tandem.hire(ids["spare"], profile(f"Spare {uid}", roles=("mentor",), grade=8, department="Finance"))
    tandem.hire(ids["worried"], profile(f"Worried {uid}", grade=3))
    tandem.hire(ids["fine"], profile(f"Fine {uid}", grade=3))
    program_id = tandem.program(f"At risk {uid}", checkin_every_days=7)
    for mentor in ("mentor", "spare"):
        tandem.enroll(program_id, ids[mentor], "mentor")
    for mentee in ("worried", "fine"):
        tandem.enroll(program_id, ids[mentee], "mentee")
    troubled = tandem.active_pair(program_id, ids["mentor"], ids["worried"])
    healthy = tandem.active_pair(program_id, ids["mentor"], ids["fine"])
    as_of = utcnow() + timedelta(days=40)
    session = tandem.as_person(ids["fine"]).post(f"/v1/mentorships/{healthy['mentorship_id']}/sessions",
                                                 json={"scheduled_at": to_rfc3339(as_of - timedelta(days=1))}).json()
    tandem.as_person(ids["fine"]).post(f"/v1/sessions/{session['session_id']}/complete", json={})
    tandem.as_person(ids["worried"]).post(f"/v1/mentorships/{troubled['mentorship_id']}/feedback",
                                          json={"rating": 1, "comment": "not working"})
    goal = tandem.hr.post(f"/v1/profiles/{ids['worried']}/goals", json={"title": "Learn SQL",
                                                                       "target_skills": ["sql"]}).json()

    def flagged():
        page = tandem.admin.get(f"/v1/programs/{program_id}/at-risk", params={"as_of": to_rfc3339(as_of)}).json()
        signals = {s["signal"] for item in page["items"] for s in item["signals"]}
        return page if "stalled_goals" in signals else None

    page = wait_for(flagged, message="the goal to reach matching")
    assert [item["mentorship_id"] for item in page["items"]] == [troubled["mentorship_id"]]
    item = page["items"][0]
    by_kind = {s["signal"]: s for s in item["signals"]}
    assert by_kind["no_session_for_days"]["days"] >= 14
    assert by_kind["low_rating"]["rating"] == 1
    assert by_kind["stalled_goals"]["goal_ids"] == [goal["goal_id"]]
    assert [a["mentor_id"] for a in item["alternatives"]] == [ids["spare"]]
    assert "not working" not in str(page)

    today = tandem.admin.get(f"/v1/programs/{program_id}/at-risk").json()
    assert [i["mentorship_id"] for i in today["items"]] == [troubled["mentorship_id"]]
    assert [s["signal"] for s in today["items"][0]["signals"]] == ["low_rating"]
    assert tandem.as_person(ids["worried"]).get(f"/v1/programs/{program_id}/at-risk").status_code == 403
