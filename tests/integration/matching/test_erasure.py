"""After erasure no copy of the person's name stays anywhere in matching's collections."""

from __future__ import annotations

import json

from pymongo import MongoClient

from tests.integration.matching.support import profile
from tests.support.polling import wait_for


def copies_of(infra, text: str) -> list[str]:
    """Every matching document, anywhere in the store, that still holds `text`."""
    db = MongoClient(infra.mongodb_uri, tz_aware=True)[infra.mongodb_db]
    return [f"{name}/{doc['_id']}" for name in db.list_collection_names() if name.startswith("matching_")
            for doc in db[name].find() if text in json.dumps(doc, default=str)]


def test_an_erased_mentee_leaves_no_name_in_reasons_runs_texts_or_comments(tandem, uid, infra):
    first_name = f"Zelda{uid}"
    ids = {n: f"{uid}-{n}" for n in ("mentee", "mentor", "other")}
    tandem.hire(ids["mentee"], profile(f"{first_name} Quinn", grade=3, skills=(("python", 1),)))
    tandem.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=8, skills=(("python", 5),)))
    tandem.hire(ids["other"], profile(f"Other {uid}", roles=("mentor",), grade=8, skills=(("python", 5),)))
    by_hand, by_run = tandem.program(f"Erasure hand {uid}"), tandem.program(f"Erasure run {uid}")
    tandem.enroll(by_hand, ids["mentor"], "mentor")
    tandem.enroll(by_run, ids["other"], "mentor")
    for program_id in (by_hand, by_run):
        tandem.enroll(program_id, ids["mentee"], "mentee")
    pair = tandem.active_pair(by_hand, ids["mentor"], ids["mentee"])
    assert any(first_name in reason for reason in pair["reasons"])
    run = tandem.wait_run(tandem.admin.post(f"/v1/programs/{by_run}/matching-runs").json()["run_id"])
    assert [a["mentee_id"] for a in run["assignments"]] == [ids["mentee"]]
    mentor = tandem.as_person(ids["mentor"])
    session = mentor.post(f"/v1/mentorships/{pair['mentorship_id']}/sessions",
                          json={"scheduled_at": "2025-02-01T10:00:00Z", "agenda": f"{first_name}'s plan"}).json()
    mentor.post(f"/v1/sessions/{session['session_id']}/complete", json={"notes": f"{first_name} did well"})
    mentor.post(f"/v1/mentorships/{pair['mentorship_id']}/feedback", json={"rating": 5, "comment": f"{first_name}!"})
    assert copies_of(infra, first_name)

    assert tandem.hr.delete(f"/v1/profiles/{ids['mentee']}").status_code == 204

    wait_for(lambda: tandem.mentorship(pair["mentorship_id"])["status"] == "ended", message="erasure to land")
    assert copies_of(infra, first_name) == []
    reasons = tandem.mentorship(pair["mentorship_id"])["reasons"]
    assert reasons and any("the mentee" in reason for reason in reasons)
