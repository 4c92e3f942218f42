"""Replaying the profiles stream (as redelivery or a reset consumer would) changes nothing in matching."""

from __future__ import annotations

import json
import uuid

from kafka import KafkaProducer

from tests.integration.matching.support import profile, wait_unique
from tests.support.polling import wait_for

TOPIC = "mentoring.profiles"


def republish(bootstrap: str, events: list[dict], uid: str) -> list[str]:
    """Each old event again under a new id (so no processed-id shortcut applies), then a new person at the
    end of every partition; returns those people's ids."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    for event in events:
        value = json.dumps({**event, "id": str(uuid.uuid4())}).encode()
        producer.send(TOPIC, key=event["subject"].encode(), value=value)
    marks = []
    for partition in sorted(producer.partitions_for(TOPIC)):
        mark = sentinel(f"{uid}-sentinel{partition}")
        producer.send(TOPIC, key=mark["subject"].encode(), value=json.dumps(mark).encode(), partition=partition)
        marks.append(mark["subject"])
    producer.flush()
    producer.close()
    return marks


def sentinel(employee_id: str) -> dict:
    data = {**profile(f"Sentinel {employee_id}"), "employee_id": employee_id, "version": 1, "mentor_capacity": 0,
            "interests": [], "title": None, "location": None, "years_experience": None,
            "availability_hours_per_month": None, "updated_at": "2025-01-01T00:00:00Z"}
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/tests", "type": "mentoring.profile.created",
            "time": "2025-01-01T00:00:00Z", "subject": employee_id, "datacontenttype": "application/json",
            "data": data}


def test_replaying_the_profiles_topic_changes_nothing(tandem, uid, taps, infra):
    ids = {n: f"{uid}-{n}" for n in ("changer", "leaver", "gone", "mentor")}
    changer = profile(f"Changer {uid}", roles=("mentee",))
    tandem.hire(ids["changer"], changer)
    tandem.hire(ids["leaver"], profile(f"Leaver {uid}"))
    tandem.hire(ids["gone"], profile(f"Gone Person {uid}", grade=3))
    tandem.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=9))
    program_id = tandem.program(f"Replay {uid}")
    for who in ("changer", "leaver", "gone"):
        tandem.enroll(program_id, ids[who], "mentee")
    tandem.enroll(program_id, ids["mentor"], "mentor")
    pair = tandem.active_pair(program_id, ids["mentor"], ids["gone"])
    session = tandem.admin.post(f"/v1/mentorships/{pair['mentorship_id']}/sessions",
                                json={"scheduled_at": "2025-02-01T10:00:00Z"}).json()
    tandem.hire(ids["changer"], {**changer, "roles": ["mentor"]})
    tandem.hire(ids["leaver"], {**profile(f"Leaver {uid}"), "employment_status": "terminated"})
    tandem.hr.delete(f"/v1/profiles/{ids['gone']}")
    wait_for(lambda: tandem.mentorship(pair["mentorship_id"])["status"] == "ended", message="erasure to land")
    mine = set(ids.values())

    def matching_events() -> list[str]:
        found = taps("mentoring.programs").events(lambda e: e["data"].get("employee_id") in mine)
        found += taps("mentoring.mentorships").events(lambda e: e["data"]["mentee_id"] in mine)
        return sorted({e["id"] for e in found})  # a re-published duplicate has the same id

    history = wait_unique(taps(TOPIC), lambda e: e["subject"] in mine, 7)
    # 4 enrollments, 2 withdrawals; the erased mentee's pair proposed, started, ended
    wait_for(lambda: len(matching_events()) >= 9, message="matching's own events")
    before = matching_events()
    marks = republish(infra.kafka_bootstrap, history, uid)
    check = tandem.program(f"Replay check {uid}")
    for mark in marks:
        tandem.enroll(check, mark, "mentee")  # known => everything before it in its partition was handled

    assert tandem.admin.post(f"/v1/programs/{check}/enrollments",
                             json={"employee_id": ids["changer"], "role": "mentee"}).status_code == 409
    assert tandem.admin.post(f"/v1/programs/{check}/enrollments",
                             json={"employee_id": ids["leaver"], "role": "mentee"}).status_code == 409
    assert tandem.admin.post(f"/v1/programs/{check}/enrollments",
                             json={"employee_id": ids["gone"], "role": "mentee"}).status_code == 404
    invite = tandem.as_person(ids["mentor"]).get(f"/v1/sessions/{session['session_id']}.ics").text
    assert "Gone Person" not in invite
    assert tandem.mentorship(pair["mentorship_id"])["end_reason"] == "erased"
    assert matching_events() == before
