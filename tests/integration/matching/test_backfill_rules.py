"""Backfilling is for program admins, at moments that can have happened, in the aggregate's order; a
leaver HR backfilled leaves at their own time; erasure reaches the audit trail."""

from __future__ import annotations

import json
import uuid

import pytest
from kafka import KafkaProducer

from tests.integration.matching.support import wait_unique
from tests.integration.matching.test_backfill import ago, audit_of, same
from tests.support.polling import wait_for


@pytest.fixture
def pair(tandem, uid):
    """An active pair whose members enrolled 100 days ago, proposed 90 and started 80 days ago."""
    ids = tandem.hire_pair(uid)
    program_id = tandem.program(f"Rules {uid}")
    for key in ("mentor", "mentee"):
        tandem.known(lambda key=key: tandem.admin.post(f"/v1/programs/{program_id}/enrollments", json={
            "employee_id": ids[key], "role": key, "occurred_at": ago(100)}), ids[key])
    proposed = tandem.admin.post("/v1/mentorships", json={"program_id": program_id, "mentor_id": ids["mentor"],
                                                          "mentee_id": ids["mentee"], "occurred_at": ago(90)}).json()
    path = f"/v1/mentorships/{proposed['mentorship_id']}"
    assert tandem.admin.post(path + "/accept", json={"occurred_at": ago(80)}).status_code == 200
    return program_id, ids, path


@pytest.mark.parametrize(("moment", "why"), [
    (ago(-1), "in the future"), ("1999-12-31T23:59:59Z", "before 2000"), ("9999-12-31T23:59:59-14:00", "future"),
    ("0001-01-01T00:00:00+14:00", "before 2000"), ("2025-03-04T10:00:00", "RFC 3339"), ("2025-03-04", "RFC 3339"),
    (ago(85), "the start"),  # an end before the pair began
])
def test_a_moment_that_cannot_have_happened_is_a_422_naming_occurred_at(tandem, pair, moment, why):
    _, _, path = pair
    response = tandem.admin.post(path + "/end", json={"occurred_at": moment})
    assert response.status_code == 422, response.text
    assert why in response.json()["errors"]["occurred_at"][0]
    assert tandem.admin.get(path).json()["status"] == "active"


def test_only_a_program_admin_backfills(tandem, pair, uid):
    program_id, ids, path = pair
    mentor = tandem.as_person(ids["mentor"])
    assert mentor.post(path + "/end", json={"occurred_at": ago(10)}).status_code == 403
    assert mentor.post(f"{path}/feedback", json={"rating": 5, "author_id": ids["mentee"]}).status_code == 403
    self_enrolled = tandem.as_person(ids["mentee"]).post(f"/v1/programs/{program_id}/enrollments", json={
        "employee_id": ids["mentee"], "role": "mentee", "occurred_at": ago(10)})
    assert self_enrolled.status_code == 403
    assert tandem.as_person(ids["mentor"]).get("/v1/backfills").status_code == 403
    assert mentor.post(path + "/end", json={"occurred_at": None}).json()["status"] == "ended"  # null: now


def test_a_leaver_hr_backfilled_leaves_at_their_profiles_time(tandem, pair, infra, taps):
    program_id, ids, path = pair
    created = wait_unique(taps("mentoring.profiles"), lambda e: e["subject"] == ids["mentor"], 1)[-1]
    left = ago(40)
    republish_profile(infra.kafka_bootstrap, created, {"employment_status": "terminated", "updated_at": left,
                                                       "backfilled": True})
    ended = wait_for(lambda: (m := tandem.admin.get(path).json())["status"] == "ended" and m,
                     message="the leaver's pair to end")
    assert (ended["end_reason"], same(left, ended["ended_at"])) == ("left_company", True)
    enrolled = tandem.admin.get(f"/v1/programs/{program_id}/enrollments", params={"status": "withdrawn"}).json()
    assert [same(left, e["withdrawn_at"]) for e in enrolled["items"]] == [True]
    [event] = wait_unique(taps("mentoring.mentorships"), lambda e: e["subject"] == path.rsplit("/", 1)[1]
                          and e["type"] == "mentoring.mentorship.ended", 1)
    assert event["data"]["backfilled"] is True and same(left, event["data"]["ended_at"])


def republish_profile(bootstrap: str, created: dict, changes: dict) -> None:
    """The profile.updated the profiles service publishes for an HR change it backfilled."""
    data = {**created["data"], **changes, "version": created["data"]["version"] + 1}
    event = {**created, "id": str(uuid.uuid4()), "type": "mentoring.profile.updated", "data": data}
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    producer.send("mentoring.profiles", key=created["subject"].encode(), value=json.dumps(event).encode())
    producer.flush()
    producer.close()


def test_erasure_pseudonymises_the_person_in_the_audit_trail(tandem, pair):
    program_id, ids, _ = pair
    assert tandem.hr.delete(f"/v1/profiles/{ids['mentee']}").status_code == 204
    entries = wait_for(lambda: (found := audit_of(tandem, program_id)) and ids["mentee"] not in str(found) and found,
                       message="the erased mentee's id to leave the audit trail")
    pseudonyms = {i for e in entries for i in e["employee_ids"] if i.startswith("erased-")}
    assert len(pseudonyms) == 1 and ids["mentor"] in str(entries)
