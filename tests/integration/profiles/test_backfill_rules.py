"""Who may backfill, which moments are refused and how, history in bulk, and erasure of the audit trail."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pymongo import MongoClient

from shared.timeutil import utcnow
from tests.integration.profiles.conftest import person
from tests.integration.profiles.test_backfill import ago, audit_of, published, same
from tests.support.http import Client, bearer


@pytest.fixture
def hired(hr, uid) -> str:
    """A person HR backfilled as hired 200 days ago, with a goal of theirs set then (its id)."""
    employee_id = f"R{uid}"
    assert hr.put(f"/v1/profiles/{employee_id}", json=person(uid, occurred_at=ago(200))).status_code == 201
    goal = hr.post(f"/v1/profiles/{employee_id}/goals", json={"title": "Grow", "occurred_at": ago(190)})
    assert goal.status_code == 201, goal.text
    return goal.json()["goal_id"]


def test_only_hr_backfills(profiles, hr, hired, uid):
    me = Client(profiles.url, bearer("employee", employee_id=f"R{uid}"))
    program_admin = Client(profiles.url, bearer("program_admin", employee_id=f"P{uid}"))
    assert me.post(f"/v1/profiles/R{uid}/goals", json={"title": "Mine", "occurred_at": ago(5)}).status_code == 403
    assert me.patch(f"/v1/goals/{hired}", json={"progress": 10, "occurred_at": ago(5)}).status_code == 403
    refused = program_admin.put(f"/v1/profiles/R{uid}", json=person(uid, occurred_at=ago(5)))
    assert refused.status_code == 403 and refused.headers["Content-Type"] == "application/problem+json"
    assert me.patch(f"/v1/goals/{hired}", json={"progress": 10, "occurred_at": None}).status_code == 200  # now
    assert hr.get(f"/v1/profiles/R{uid}/goals").json()["items"][0]["progress"] == 10


@pytest.mark.parametrize(("moment", "message"), [
    (timedelta(minutes=10), "must not be more than 5 minutes in the future"),
    ("9999-12-31T23:59:59-01:00", "must not be more than 5 minutes in the future"),
    ("1999-12-31T23:59:59Z", "must not be before 2000-01-01T00:00:00Z"),
    ("0001-01-01T00:00:00+01:00", "must not be before 2000-01-01T00:00:00Z"),
    ("2025-03-01T10:00:00", "must be an RFC 3339 date-time with an offset, such as 2025-03-04T14:30:00Z"),
    ("2025-03-01", "must be an RFC 3339 date-time with an offset, such as 2025-03-04T14:30:00Z"),
])
def test_a_moment_outside_the_window_is_a_422_in_the_words_matching_uses(hr, uid, moment, message):
    if isinstance(moment, timedelta):  # ahead of the clock when the test runs, not when it was collected
        moment = (utcnow() + moment).isoformat()
    answer = hr.put(f"/v1/profiles/W{uid}", json=person(uid, occurred_at=moment))
    assert (answer.status_code, answer.json()["errors"]) == (422, {"occurred_at": [message]}), answer.text
    assert hr.get(f"/v1/profiles/W{uid}").status_code == 404


def test_a_goal_moved_or_set_before_what_is_recorded_is_a_422(hr, hired, uid):
    assert hr.patch(f"/v1/goals/{hired}", json={"progress": 30, "occurred_at": ago(100)}).status_code == 200
    before = hr.patch(f"/v1/goals/{hired}", json={"progress": 40, "occurred_at": ago(150)})
    assert before.status_code == 422 and "the goal's last change" in before.json()["errors"]["occurred_at"][0]
    too_early = hr.post(f"/v1/profiles/R{uid}/goals", json={"title": "Older", "occurred_at": ago(300)})
    assert too_early.status_code == 422 and "the profile's creation" in too_early.json()["errors"]["occurred_at"][0]
    assert [g["progress"] for g in hr.get(f"/v1/profiles/R{uid}/goals").json()["items"]] == [30]


def test_an_import_of_history_applies_each_moment_of_a_person_in_time_order(hr, uid, infra):
    hired, promoted, left = ago(300), ago(150), ago(15)
    rows = [{"employee_id": f"A{uid}", **person(uid, grade=8, employment_status="terminated", occurred_at=left)},
            {"employee_id": f"A{uid}", **person(uid, grade=8, occurred_at=promoted)},
            {"employee_id": f"A{uid}", **person(uid, grade=7, occurred_at=hired)},
            {"employee_id": f"A{uid}", **person(uid, grade=6, occurred_at=hired)},  # corrects the row before
            {"employee_id": f"B{uid}", **person(uid, occurred_at=ago(20))},
            {"employee_id": f"B{uid}", **person(uid, occurred_at="2031-01-01T00:00:00Z")}]
    result = hr.post("/v1/profiles:import", json=rows).json()
    assert (result["created"], result["updated"], result["unchanged"]) == (2, 2, 0)
    assert [(f["index"], list(f["errors"])) for f in result["failed"]] == [(2, ["employee_id"]), (5, ["occurred_at"])]
    events = published(infra, "mentoring.profiles", f"A{uid}", 3)
    assert [(e["data"]["version"], e["data"]["grade"], e["data"]["employment_status"]) for e in events] == [
        (1, 6, "active"), (2, 8, "active"), (3, 8, "terminated")]
    at_their_moments = [same(m, e["data"]["updated_at"]) for m, e in zip((hired, promoted, left), events, strict=True)]
    assert at_their_moments == [True] * 3 and all(e["data"]["backfilled"] for e in events)
    stored = hr.get(f"/v1/profiles/A{uid}").json()
    assert same(hired, stored["created_at"]) and same(left, stored["updated_at"]) and "occurred_at" not in stored
    audit = audit_of(hr, {f"A{uid}", f"B{uid}"})
    assert [(e["aggregate_id"], e["operation"]) for e in audit] == [
        (f"A{uid}", "profile.created"), (f"A{uid}", "profile.updated"), (f"A{uid}", "profile.updated"),
        (f"B{uid}", "profile.created")]


def test_erasure_pseudonymises_the_person_in_the_audit_trail(infra, profiles, hr, uid):
    employee_id, hr_person = f"E{uid}", f"HR{uid}"
    assert hr.put(f"/v1/profiles/{hr_person}", json=person(f"hr{uid}")).status_code == 201
    as_hr_person = Client(profiles.url, bearer("hr_admin", employee_id=hr_person))
    assert as_hr_person.put(f"/v1/profiles/{employee_id}", json=person(uid, occurred_at=ago(50))).status_code == 201
    goal_id = hr.post(f"/v1/profiles/{employee_id}/goals", json={"title": "Grow", "occurred_at": ago(40)}).json()[
        "goal_id"]
    ids = [e["audit_id"] for e in audit_of(hr, {employee_id, goal_id})]
    assert hr.delete(f"/v1/profiles/{employee_id}").status_code == 204
    assert hr.delete(f"/v1/profiles/{hr_person}").status_code == 204

    hire, goal_set = sorted((e for e in audit_of(hr, None) if e["audit_id"] in ids), key=lambda e: ids.index(
        e["audit_id"]))
    assert (hire["operation"], goal_set["operation"]) == ("profile.created", "goal.created")
    assert hire["aggregate_id"] == hire["employee_ids"][0] == goal_set["employee_ids"][0]
    assert hire["aggregate_id"].startswith("erased-") and goal_set["aggregate_id"] == goal_id
    assert hire["by"].startswith("erased-") and hire["by"] != hire["aggregate_id"]  # one pseudonym per erasure
    stored = MongoClient(infra.mongodb_uri)[infra.mongodb_db]["profiles_backfill_audit"].find({"_id": {"$in": ids}})
    trail = json.dumps(list(stored))
    assert employee_id not in trail and hr_person not in trail
