"""Six months of a pair's history, backfilled over HTTP in order as a migration would, read back with
its times from the API, the bus and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.timeutil import parse_rfc3339, utcnow
from tests.integration.matching.support import profile, wait_unique


def ago(days: float) -> str:
    """A moment `days` ago, as a migration file would give it (with an offset, not in UTC)."""
    return (utcnow() - timedelta(days=days)).astimezone().isoformat()


def same(moment: str, stored: str) -> bool:
    return parse_rfc3339(moment) == parse_rfc3339(stored)


@pytest.fixture
def people(tandem, uid):
    return tandem.hire_pair(uid, capacity=2)


def write_history(tandem, program_id: str, people: dict, when: dict) -> tuple[str, str, str]:
    """The pair's six months, each call at its own moment and in order: (mentorship, held, skipped session)."""
    admin = tandem.admin
    for key in ("mentor", "mentee"):
        enrolled = tandem.known(lambda key=key: admin.post(
            f"/v1/programs/{program_id}/enrollments",
            json={"employee_id": people[key], "role": key, "occurred_at": when["enrolled"]}), people[key])
        assert enrolled.status_code == 201 and same(when["enrolled"], enrolled.json()["enrolled_at"])
    proposed = admin.post("/v1/mentorships", json={"program_id": program_id, "mentor_id": people["mentor"],
                                                   "mentee_id": people["mentee"], "occurred_at": when["proposed"]})
    assert proposed.status_code == 201, proposed.text
    path = f"/v1/mentorships/{proposed.json()['mentorship_id']}"
    assert admin.post(path + "/accept", json={"occurred_at": when["started"]}).status_code == 200
    body = {"scheduled_at": ago(151), "duration_minutes": 45, "occurred_at": when["planned"]}
    held = admin.post(path + "/sessions", json=body).json()
    done = admin.post(f"/v1/sessions/{held['session_id']}/complete", json={"occurred_at": when["held"]})
    assert done.status_code == 200, done.text
    rating = admin.post(path + "/feedback", json={"rating": 4, "session_id": held["session_id"],
                                                 "author_id": people["mentee"], "occurred_at": when["rated"]})
    assert (rating.status_code, rating.json()["author_role"]) == (201, "mentee"), rating.text
    skipped = admin.post(path + "/sessions", json={**body, "scheduled_at": ago(110), "occurred_at": ago(125)}).json()
    assert admin.post(f"/v1/sessions/{skipped['session_id']}/cancel",
                      json={"occurred_at": when["skipped"]}).status_code == 200
    ended = admin.post(path + "/end", json={"reason": "completed", "occurred_at": when["ended"]})
    assert ended.status_code == 200, ended.text
    return proposed.json()["mentorship_id"], held["session_id"], skipped["session_id"]


def test_six_months_of_a_pair_written_in_order_read_back_with_their_times(tandem, people, uid, taps):
    program_id, admin = tandem.program(f"Backfill {uid}"), tandem.admin
    when = {"enrolled": ago(182), "proposed": ago(178), "started": ago(175), "planned": ago(160),
            "held": ago(150), "rated": ago(149), "skipped": ago(120), "ended": ago(30)}
    mentorship_id, held_id, skipped_id = write_history(tandem, program_id, people, when)
    path = f"/v1/mentorships/{mentorship_id}"

    pair = tandem.mentorship(mentorship_id)
    assert [same(when[k], pair[f]) for k, f in (("proposed", "created_at"), ("started", "started_at"),
                                                ("ended", "ended_at"))] == [True] * 3
    session = admin.get(f"/v1/sessions/{held_id}").json()
    assert same(when["planned"], session["created_at"]) and same(when["held"], session["completed_at"])
    assert same(when["skipped"], admin.get(f"/v1/sessions/{skipped_id}").json()["cancelled_at"])
    assert same(when["rated"], admin.get(path + "/feedback").json()["items"][0]["submitted_at"])

    on_bus = wait_unique(taps("mentoring.mentorships"), lambda e: e["subject"] == pair["mentorship_id"], 3)
    assert [e["data"]["backfilled"] for e in on_bus] == [True] * 3
    assert same(when["ended"], on_bus[-1]["data"]["ended_at"]) and not same(when["ended"], on_bus[-1]["time"])
    sessions = wait_unique(taps("mentoring.sessions"), lambda e: e["subject"] == pair["mentorship_id"], 4)
    assert {e["type"].rsplit(".", 1)[1] for e in sessions} == {"scheduled", "completed", "cancelled"}
    assert all(e["data"]["backfilled"] for e in sessions)
    [rated] = wait_unique(taps("mentoring.feedback"), lambda e: e["subject"] == pair["mentorship_id"], 1)
    assert (rated["data"]["backfilled"], same(when["rated"], rated["data"]["submitted_at"])) == (True, True)
    enrolled = wait_unique(taps("mentoring.programs"), lambda e: e["subject"] == program_id
                           and e["type"] == "mentoring.enrollment.created", 2)
    assert all(e["data"]["backfilled"] and same(when["enrolled"], e["data"]["at"]) for e in enrolled)

    audit = audit_of(tandem, program_id)
    assert [e["operation"] for e in audit] == [  # in the order they were recorded
        "enrollment.created", "enrollment.created", "mentorship.proposed", "mentorship.started",
        "session.scheduled", "session.completed", "feedback.submitted", "session.scheduled", "session.cancelled",
        "mentorship.ended"]
    assert {e["by"] for e in audit} == {"admin-1"} and audit[2]["employee_ids"] == sorted(people.values())
    assert same(when["ended"], next(e for e in audit if e["operation"] == "mentorship.ended")["occurred_at"])


def audit_of(tandem, program_id: str) -> list[dict]:
    """The program's entries in the audit trail, read page by page (of 4) as an admin would."""
    found, cursor = [], None
    while True:
        page = tandem.admin.get("/v1/backfills", params={"limit": 4, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        assert len(page.json()["items"]) <= 4
        found += [e for e in page.json()["items"] if e["program_id"] == program_id]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return found


def test_a_wave_in_the_past_proposes_who_was_enrolled_then_at_its_moment(tandem, uid, taps):
    ids = {n: f"{uid}-{n}" for n in ("mentor", "early", "late")}
    tandem.hire(ids["mentor"], profile(f"Mentor {uid}", roles=("mentor",), grade=9, capacity=3))
    for key in ("early", "late"):
        tandem.hire(ids[key], profile(f"Mentee {key} {uid}", grade=3))
    staging = tandem.program(f"Staging {uid}")
    for key, role in (("mentor", "mentor"), ("early", "mentee"), ("late", "mentee")):
        tandem.enroll(staging, ids[key], role)  # waits until matching knows them
    program_id = tandem.program(f"Wave {uid}")
    rows = [{"employee_id": ids["mentor"], "role": "mentor", "occurred_at": ago(100)},
            {"employee_id": ids["early"], "role": "mentee", "occurred_at": ago(100)},
            {"employee_id": ids["late"], "role": "mentee", "occurred_at": ago(10)},
            {"employee_id": f"{uid}-x", "role": "mentee", "occurred_at": "2025-01-01"}]
    imported = tandem.admin.post(f"/v1/programs/{program_id}/enrollments:import", json=rows).json()
    assert (imported["created"], [(f["index"], list(f["errors"])) for f in imported["failed"]]) == (
        3, [(3, ["occurred_at"])])
    wave = ago(90)
    started = tandem.admin.post(f"/v1/programs/{program_id}/matching-runs", json={"occurred_at": wave})
    assert started.status_code == 202, started.text
    run = tandem.wait_run(started.json()["run_id"])
    assert [a["mentee_id"] for a in run["assignments"]] == [ids["early"]] and same(wave, run["occurred_at"])
    proposal = tandem.mentorship(run["assignments"][0]["mentorship_id"])
    assert same(wave, proposal["created_at"])
    [event] = wait_unique(taps("mentoring.mentorships"), lambda e: e["subject"] == proposal["mentorship_id"], 1)
    assert event["data"]["backfilled"] is True and same(wave, event["data"]["created_at"])
    assert [e["operation"] for e in audit_of(tandem, program_id)] == ["enrollment.created"] * 3 + [
        "matching_run.requested"]


def test_the_new_field_is_in_the_openapi_document_with_its_rules(tandem):
    spec = tandem.admin.get("/openapi.json").json()
    field = spec["components"]["schemas"]["SessionIn"]["properties"]["occurred_at"]
    assert (field["format"], field["x-minimum"][:10]) == ("date-time", "2000-01-01")
    assert "program_admin only" in field["description"] and "5 minutes" in field["description"]
    assert "/v1/backfills" in spec["paths"]
    assert spec["paths"]["/v1/mentorships/{mentorship_id}/accept"]["post"]["requestBody"]["required"] is False
