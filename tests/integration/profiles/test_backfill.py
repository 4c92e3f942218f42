"""Six months of a person's HR history and goals, backfilled over HTTP in order as a migration would, read
back with its times from the API, the bus and the audit trail."""

from __future__ import annotations

from datetime import timedelta

from shared.timeutil import parse_rfc3339, utcnow
from tests.integration.profiles.conftest import person
from tests.support.http import Client, bearer
from tests.support.kafka_tap import Tap
from tests.support.polling import wait_for


def ago(days: float) -> str:
    """A moment `days` ago, as a migration file gives it (with an offset, not in UTC)."""
    return (utcnow() - timedelta(days=days)).astimezone().isoformat()


def same(moment: str, stored: str) -> bool:
    return parse_rfc3339(moment) == parse_rfc3339(stored)


def published(infra, topic: str, subject: str, count: int) -> list[dict]:
    """At least `count` distinct events about `subject` on `topic`, each once, in the order they were published."""
    tap = Tap(infra.kafka_bootstrap, topic)

    def found():
        events = {e["id"]: e for e in tap.events(lambda e: e["subject"] == subject)}
        return len(events) >= count and list(events.values())

    try:
        return wait_for(found, timeout=30, message=f"{count} events about {subject} on {topic}")
    finally:
        tap.close()


def audit_of(client: Client, aggregate_ids: set[str] | None) -> list[dict]:
    """The entries about these aggregates (None: all) in the audit trail, read page by page (of 3) as an admin
    would."""
    found, cursor = [], None
    while True:
        page = client.get("/v1/backfills", params={"limit": 3, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        assert len(page.json()["items"]) <= 3
        found += [e for e in page.json()["items"] if aggregate_ids is None or e["aggregate_id"] in aggregate_ids]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return found


def write_history(hr: Client, employee_id: str, when: dict[str, str]) -> str:
    """Hired, a goal set, promoted, the goal halfway then done, left: each call at its moment, in order."""
    hired = hr.put(f"/v1/profiles/{employee_id}", json=person(employee_id, occurred_at=when["hired"]))
    assert hired.status_code == 201, hired.text
    goal = hr.post(f"/v1/profiles/{employee_id}/goals", json={"title": "Lead a team", "occurred_at": when["goal"]})
    assert goal.status_code == 201, goal.text
    goal_id = goal.json()["goal_id"]
    promoted = hr.put(f"/v1/profiles/{employee_id}", json=person(employee_id, grade=7, occurred_at=when["promoted"]))
    assert promoted.status_code == 200, promoted.text
    for progress, moment in ((50, when["halfway"]), (100, when["done"])):
        moved = hr.patch(f"/v1/goals/{goal_id}", json={"progress": progress, "occurred_at": moment})
        assert moved.status_code == 200, moved.text
    left = hr.put(f"/v1/profiles/{employee_id}", json=person(employee_id, grade=7, employment_status="terminated",
                                                              occurred_at=when["left"]))
    assert left.status_code == 200, left.text
    return goal_id


def test_six_months_of_a_person_written_in_order_read_back_with_their_times(hr, uid, infra):
    employee_id = f"H{uid}"
    when = {"hired": ago(182), "goal": ago(170), "promoted": ago(120), "halfway": ago(90), "done": ago(60),
            "left": ago(30)}
    goal_id = write_history(hr, employee_id, when)

    profile = hr.get(f"/v1/profiles/{employee_id}").json()
    assert (profile["version"], profile["grade"], profile["employment_status"]) == (3, 7, "terminated")
    assert same(when["hired"], profile["created_at"]) and same(when["left"], profile["updated_at"])
    [goal] = hr.get(f"/v1/profiles/{employee_id}/goals").json()["items"]
    assert (goal["status"], goal["progress"]) == ("completed", 100)
    assert same(when["goal"], goal["created_at"]) and same(when["done"], goal["updated_at"])

    people = published(infra, "mentoring.profiles", employee_id, 3)
    assert [(e["type"].rsplit(".", 1)[1], e["data"]["grade"], e["data"]["backfilled"]) for e in people] == [
        ("created", 6, True), ("updated", 7, True), ("updated", 7, True)]
    leaver = people[-1]["data"]
    assert leaver["employment_status"] == "terminated" and same(when["left"], leaver["updated_at"])
    assert not same(when["left"], people[-1]["time"])  # the CloudEvents time is when the event was made
    moves = published(infra, "mentoring.goals", employee_id, 3)
    assert [(e["type"].rsplit(".", 1)[1], e["data"]["progress"]) for e in moves] == [
        ("created", 0), ("progressed", 50), ("completed", 100)]
    assert all(e["data"]["backfilled"] for e in moves)
    assert [same(when[k], e["data"]["updated_at"]) for k, e in zip(("goal", "halfway", "done"), moves,
                                                                    strict=True)] == [True] * 3

    audit = audit_of(hr, {employee_id, goal_id})
    assert [e["operation"] for e in audit] == ["profile.created", "goal.created", "profile.updated",
                                               "goal.progressed", "goal.completed", "profile.updated"]
    assert [same(when[k], e["occurred_at"]) for k, e in zip(when, audit, strict=True)] == [True] * 6
    assert {e["by"] for e in audit} == {"tester"} and all(e["employee_ids"] == [employee_id] for e in audit)
    assert set(audit[0]) == {"audit_id", "operation", "aggregate_id", "employee_ids", "occurred_at", "recorded_at",
                             "by"}


def test_a_live_write_after_the_history_is_unmarked_and_history_cannot_go_before_it(hr, uid, infra):
    employee_id = f"L{uid}"
    assert hr.put(f"/v1/profiles/{employee_id}", json=person(uid, occurred_at=ago(40))).status_code == 201
    assert hr.put(f"/v1/profiles/{employee_id}", json=person(uid, grade=8)).status_code == 200
    late = hr.put(f"/v1/profiles/{employee_id}", json=person(uid, grade=9, occurred_at=ago(1)))
    assert late.status_code == 422
    assert list(late.json()["errors"]) == ["occurred_at"]
    assert late.json()["errors"]["occurred_at"][0].startswith("must not be before the profile's last change (")
    events = published(infra, "mentoring.profiles", employee_id, 2)
    assert [e["data"].get("backfilled") for e in events] == [True, None]
    assert hr.get(f"/v1/profiles/{employee_id}").json()["version"] == 2


def test_the_new_field_and_the_audit_trail_are_in_the_openapi_document(hr):
    spec = hr.get("/openapi.json").json()
    for schema in ("ProfileIn", "GoalIn", "GoalPatch"):
        field = spec["components"]["schemas"][schema]["properties"]["occurred_at"]
        assert (field["format"], field["x-minimum"][:10]) == ("date-time", "2000-01-01")
        assert "hr_admin only in profiles" in field["description"]
    assert "/v1/backfills" in spec["paths"]


def test_hr_and_program_admins_read_the_audit_trail_and_nobody_else(profiles, uid):
    for roles, status in ((("program_admin",), 200), (("hr_admin",), 200), (("manager",), 403), (("employee",), 403)):
        answer = Client(profiles.url, bearer(*roles, employee_id=f"X{uid}")).get("/v1/backfills?limit=1")
        assert answer.status_code == status, roles
