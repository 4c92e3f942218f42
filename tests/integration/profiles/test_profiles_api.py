"""The profiles API as an HR portal uses it, against the real store and broker."""

from shared.events import Event
from tests.integration.profiles.conftest import person
from tests.support.http import Client, bearer
from tests.support.kafka_tap import Tap

PROBLEM = "application/problem+json"


def test_put_creates_then_replaces_with_versions_and_etags(hr, uid):
    created = hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    body = created.json()
    assert body["employee_id"] == f"E{uid}" and body["mentor_capacity"] == 0 and body["version"] == 1
    assert body["skills"] == [{"name": "python", "level": 2}] and body["created_at"] == body["updated_at"]

    replaced = hr.put(f"/v1/profiles/E{uid}", json=person(uid, grade=7), headers={"If-Match": '"1"'})
    assert replaced.status_code == 200 and replaced.json()["version"] == 2 and replaced.headers["ETag"] == '"2"'
    assert hr.get(f"/v1/profiles/E{uid}").json()["grade"] == 7


def test_resending_the_same_profile_changes_nothing(hr, uid):
    hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    again = hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    assert again.status_code == 200 and again.json()["version"] == 1


def test_stale_if_match_is_412(hr, uid):
    hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    hr.put(f"/v1/profiles/E{uid}", json=person(uid, grade=8))
    stale = hr.put(f"/v1/profiles/E{uid}", json=person(uid, grade=9), headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.headers["Content-Type"] == PROBLEM
    assert hr.get(f"/v1/profiles/E{uid}").json()["grade"] == 8


def test_events_land_on_the_profiles_topic_keyed_by_employee_without_the_bio(infra, hr, uid):
    tap = Tap(infra.kafka_bootstrap, "mentoring.profiles")
    hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    hr.put(f"/v1/profiles/E{uid}", json=person(uid, grade=7))
    events = tap.wait_events(lambda e: e["subject"] == f"E{uid}", 2)
    assert [e["type"] for e in events] == ["mentoring.profile.created", "mentoring.profile.updated"]
    assert [e["data"]["version"] for e in events] == [1, 2]
    assert {r.key for r in tap.records if r.value and f"E{uid}".encode() in r.key} == {f"E{uid}".encode()}
    assert all("bio" not in e["data"] and "private bio" not in str(e) for e in events)
    assert all(e["specversion"] == "1.0" and e["source"] == "/tandem/profiles" for e in events)
    assert all(Event.from_dict(e).type == e["type"] for e in events)  # schema-valid CloudEvents
    tap.close()


def test_self_service_patch_keeps_hr_fields_out(profiles, hr, uid):
    hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    me = Client(profiles.url, bearer("employee", employee_id=f"E{uid}"))
    patched = me.patch(f"/v1/profiles/E{uid}", json={"bio": "new", "roles": ["mentee", "mentor"], "mentor_capacity": 2})
    assert patched.status_code == 200 and patched.json()["mentor_capacity"] == 2
    rejected = me.patch(f"/v1/profiles/E{uid}", json={"grade": 15})
    assert rejected.status_code == 422 and "grade" in rejected.json()["errors"]
    other = Client(profiles.url, bearer("employee", employee_id="someone-else"))
    assert other.patch(f"/v1/profiles/E{uid}", json={"bio": "x"}).status_code == 403


def test_list_filters_and_paginates(hr, uid):
    dept = f"Dept-{uid}"
    for i in range(5):
        hr.put(f"/v1/profiles/L{uid}-{i}", json=person(f"{uid}{i}", department=dept,
                                                     roles=["mentor"] if i % 2 else ["mentee"]))
    first = hr.get("/v1/profiles", params={"department": dept, "limit": 2}).json()
    second = hr.get("/v1/profiles", params={"department": dept, "limit": 2, "cursor": first["next_cursor"]}).json()
    third = hr.get("/v1/profiles", params={"department": dept, "limit": 2, "cursor": second["next_cursor"]}).json()
    ids = [p["employee_id"] for page in (first, second, third) for p in page["items"]]
    assert ids == [f"L{uid}-{i}" for i in range(5)] and third["next_cursor"] is None
    mentors = hr.get("/v1/profiles", params={"department": dept, "role": "mentor"}).json()["items"]
    assert [p["employee_id"] for p in mentors] == [f"L{uid}-1", f"L{uid}-3"]
    assert len(hr.get("/v1/profiles", params={"department": dept, "skill": "PYTHON"}).json()["items"]) == 5
    assert hr.get("/v1/profiles", params={"limit": 501}).status_code == 422


def test_managers_see_their_reports_direct_and_indirect_only(profiles, hr, uid):
    hr.put(f"/v1/profiles/M{uid}", json=person(f"m{uid}", roles=["mentor"]))
    hr.put(f"/v1/profiles/T{uid}", json=person(f"t{uid}", manager_id=f"M{uid}"))
    hr.put(f"/v1/profiles/I{uid}", json=person(f"i{uid}", manager_id=f"T{uid}"))
    hr.put(f"/v1/profiles/X{uid}", json=person(f"x{uid}"))
    boss = Client(profiles.url, bearer("manager", employee_id=f"M{uid}"))
    assert boss.get(f"/v1/profiles/I{uid}").status_code == 200
    assert boss.get(f"/v1/profiles/X{uid}").status_code == 403
    listed = {p["employee_id"] for p in boss.get("/v1/profiles").json()["items"]}
    assert listed == {f"T{uid}", f"I{uid}"}


def test_problem_details_for_auth_and_validation(profiles, hr, uid):
    anonymous = Client(profiles.url)
    for response, status in [
        (anonymous.get(f"/v1/profiles/E{uid}"), 401),
        (Client(profiles.url, {"Authorization": "Bearer forged"}).get("/v1/profiles"), 401),
        (Client(profiles.url, bearer("employee", employee_id="E1")).put(f"/v1/profiles/E{uid}", json=person(uid)), 403),
        (hr.get(f"/v1/profiles/nobody-{uid}"), 404),
        (hr.delete("/v1/profiles"), 405),
        (hr.put(f"/v1/profiles/E{uid}", data="{oops", headers={"Content-Type": "application/json"}), 400),
        (hr.put(f"/v1/profiles/E{uid}", json={**person(uid), "shoe_size": 44}), 422),
        (hr.put(f"/v1/profiles/E{uid}", json=person(uid, email="nope", timezone="Mars/Base")), 422),
        (hr.put("/v1/profiles/bad%20id", json=person(uid)), 422),
        (hr.post("/v1/profiles:import", data=b"[" + b"1," * 2_000_000 + b"1]",
                 headers={"Content-Type": "application/json"}), 413),
    ]:
        assert response.status_code == status, (status, response.text)
        assert response.headers["Content-Type"] == PROBLEM
        problem = response.json()
        assert problem["status"] == status and problem["title"] and problem["type"] and problem["detail"]
    invalid = hr.put(f"/v1/profiles/E{uid}", json=person(uid, email="nope", timezone="Mars/Base")).json()
    assert set(invalid["errors"]) == {"email", "timezone"}


def test_operations_endpoints(profiles):
    plain = Client(profiles.url)
    assert plain.get("/healthz").json()["status"] == "ok"
    assert plain.get("/readyz").json()["checks"] == {"store": True, "kafka": True}
    spec = plain.get("/openapi.json").json()
    assert "/v1/profiles/{employee_id}" in spec["paths"] and "/v1/profiles:import" in spec["paths"]
    assert "swagger" in plain.get("/docs").text.lower()
    metrics = plain.get("/metrics").text
    assert 'tandem_http_requests_total{method="GET",route="/v1/profiles/<employee_id>"' in metrics
