"""Bulk import, goals and erasure — what an HRIS sync and an employee do, checked in the store and on Kafka."""

import json

from pymongo import MongoClient

from tests.integration.profiles.conftest import person
from tests.support.http import Client, bearer
from tests.support.kafka_tap import Tap
from tests.support.polling import wait_for


def row(uid: str, i: int, **overrides) -> dict:
    return {"employee_id": f"I{uid}-{i}", **person(f"{uid}{i}"), **overrides}


def test_json_import_keeps_good_rows_and_reports_bad_ones(hr, uid):
    rows = [row(uid, 0), row(uid, 1, grade=99), "not an object", row(uid, 3, email="bad"), row(uid, 4)]
    result = hr.post("/v1/profiles:import", json=rows).json()
    assert (result["created"], result["updated"]) == (2, 0)
    assert [(f["index"], f["employee_id"]) for f in result["failed"]] == [(1, f"I{uid}-1"), (2, None), (3, f"I{uid}-3")]
    assert "grade" in result["failed"][0]["errors"] and "email" in result["failed"][2]["errors"]
    assert hr.get(f"/v1/profiles/I{uid}-4").status_code == 200
    assert hr.get(f"/v1/profiles/I{uid}-1").status_code == 404
    again = hr.post("/v1/profiles:import", json=[row(uid, 0), row(uid, 4, grade=9)]).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 1, 1)


def test_ndjson_import_with_a_broken_line(hr, uid):
    lines = [json.dumps(row(uid, 0)), "{broken", json.dumps(row(uid, 2)), json.dumps(row(uid, 0, grade=3))]
    result = hr.post("/v1/profiles:import", data="\n".join(lines),
                     headers={"Content-Type": "application/x-ndjson"}).json()
    assert result["created"] == 2
    assert [f["index"] for f in result["failed"]] == [0, 1]  # row 0 repeats at row 3: the last one is kept
    assert hr.get(f"/v1/profiles/I{uid}-0").json()["grade"] == 3


def test_import_is_capped_at_10000_rows(hr):
    assert hr.post("/v1/profiles:import", json=[{}] * 10_001).status_code == 422


def test_goals_progress_to_completion_with_events_and_privacy(infra, profiles, hr, uid):
    hr.put(f"/v1/profiles/M{uid}", json=person(f"m{uid}", roles=["mentor"]))
    hr.put(f"/v1/profiles/E{uid}", json=person(uid, manager_id=f"M{uid}"))
    me = Client(profiles.url, bearer("employee", employee_id=f"E{uid}"))
    goal = me.post(f"/v1/profiles/E{uid}/goals", json={
        "title": "Lead a team", "description": "secret plan", "target_skills": ["People Management"],
        "due_on": "2027-06-30", "milestones": [{"title": "Shadow a lead"}]})
    assert goal.status_code == 201
    goal_id = goal.json()["goal_id"]
    assert me.patch(f"/v1/goals/{goal_id}", json={"progress": 60}).json()["status"] == "active"
    assert me.patch(f"/v1/goals/{goal_id}", json={"progress": 100}).json()["status"] == "completed"
    assert me.patch(f"/v1/goals/{goal_id}", json={"progress": 10}).status_code == 409
    assert me.patch(f"/v1/goals/{goal_id}", json={"progress": 101}).status_code == 422

    manager_view = Client(profiles.url, bearer("manager", employee_id=f"M{uid}")).get(f"/v1/profiles/E{uid}/goals")
    assert manager_view.json()["items"][0]["progress"] == 100 and "description" not in manager_view.json()["items"][0]
    assert Client(profiles.url, bearer("employee", employee_id="other")).get(
        f"/v1/profiles/E{uid}/goals").status_code == 403

    tap = Tap(infra.kafka_bootstrap, "mentoring.goals")
    events = tap.wait_events(lambda e: e["subject"] == f"E{uid}", 3)
    assert [e["type"] for e in events] == ["mentoring.goal.created", "mentoring.goal.progressed",
                                           "mentoring.goal.completed"]
    assert events[0]["data"]["target_skills"] == ["people management"]
    assert "secret plan" not in json.dumps(events) and "Lead a team" not in json.dumps(events)
    tap.close()


def test_erasure_removes_personal_data_and_tells_everyone(infra, hr, uid):
    hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    hr.put(f"/v1/profiles/E{uid}", json=person(uid, grade=7))
    hr.post(f"/v1/profiles/E{uid}/goals", json={"title": "Grow", "description": f"private goal {uid}"})
    assert hr.delete(f"/v1/profiles/E{uid}").status_code == 204
    assert hr.get(f"/v1/profiles/E{uid}").status_code == 404
    assert hr.delete(f"/v1/profiles/E{uid}").status_code == 404

    tap = Tap(infra.kafka_bootstrap, "mentoring.profiles")
    deleted = tap.wait_events(lambda e: e["subject"] == f"E{uid}" and e["type"].endswith("deleted"), 1)
    assert deleted[0]["data"] == {"employee_id": f"E{uid}", "version": 3}
    tap.close()

    db = MongoClient(infra.mongodb_uri)[infra.mongodb_db]
    stored = json.dumps([d for c in ("profiles_people", "profiles_goals") for d in db[c].find()], default=str)
    for personal in (f"Yara {uid}", f"yara.{uid}@example.com", f"private goal {uid}"):
        assert personal not in stored


def test_erasure_writes_a_tombstone_for_the_person_after_the_deleted_event(infra, hr, uid):
    """mentoring.profiles is compacted: the null-valued record is what lets the cleaner drop old profiles."""
    tap, key = Tap(infra.kafka_bootstrap, "mentoring.profiles"), f"T{uid}".encode()
    hr.put(f"/v1/profiles/T{uid}", json=person(uid))
    tap.wait_events(lambda e: e["subject"] == f"T{uid}", 1)  # their profile is in the log
    assert hr.delete(f"/v1/profiles/T{uid}").status_code == 204
    mine = wait_for(lambda: (found := [r for r in tap.drain() if r.key == key]) and found[-1].value is None and found,
                    timeout=30, message="a tombstone for the erased person")
    assert [json.loads(r.value)["type"] if r.value else None for r in mine] == [
        "mentoring.profile.created", "mentoring.profile.deleted", None]
    assert len({r.partition for r in mine}) == 1  # one key, one partition: the tombstone comes after
    tap.close()
