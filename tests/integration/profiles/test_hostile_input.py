"""Input an attacker or a broken HR export sends: always a clear 4xx problem, never a 500, never half-applied."""

import base64
import json

from tests.integration.profiles.conftest import person

PROBLEM = "application/problem+json"


def encode_cursor_text(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_an_if_match_the_api_never_issued_is_a_precondition_failure(hr, uid):
    hr.put(f"/v1/profiles/E{uid}", json=person(uid))
    stale = hr.put(f"/v1/profiles/E{uid}", json=person(uid, grade=9), headers={"If-Match": '"stale-version"'})
    assert stale.status_code == 412 and stale.headers["Content-Type"] == PROBLEM
    assert hr.get(f"/v1/profiles/E{uid}").json()["grade"] == 6
    unconditional = hr.put(f"/v1/profiles/E{uid}", json=person(uid, grade=9))  # no If-Match: still allowed
    assert unconditional.status_code == 200 and unconditional.json()["version"] == 2


def test_control_characters_and_partial_ids_are_refused(hr, uid):
    for path, body in [
        (f"/v1/profiles/E{uid}", person(uid, name="Mal\r\nReply-To: attacker@example.com")),
        (f"/v1/profiles/E{uid}", person(uid, email=f"yara.{uid}@example.com\n")),
        (f"/v1/profiles/E{uid}", person(uid, manager_id="M1\n")),
        (f"/v1/profiles/E{uid}%0A", person(uid)),
    ]:
        refused = hr.put(path, json=body)
        assert refused.status_code == 422 and refused.headers["Content-Type"] == PROBLEM, (path, refused.text)
    assert hr.get(f"/v1/profiles/E{uid}").status_code == 404
    assert hr.get(f"/v1/profiles/E{uid}%0A").status_code == 404
    rows = [{"employee_id": f"E{uid}\n", **person(uid)}, {"employee_id": f"E{uid}", **person(uid, title="a\rb")}]
    result = hr.post("/v1/profiles:import", json=rows).json()
    assert result["created"] == 0 and [f["index"] for f in result["failed"]] == [0, 1]


def test_one_ndjson_line_too_deep_to_read_fails_alone(hr, uid):
    good = [json.dumps({"employee_id": f"N{uid}-{i}", **person(f"{uid}{i}")}) for i in range(6)]
    lines = [*good[:3], '{"a":' * 100_000, *good[3:]]
    result = hr.post("/v1/profiles:import", data="\n".join(lines), headers={"Content-Type": "application/x-ndjson"})
    assert result.status_code == 200, result.text
    assert result.json()["created"] == 6 and [f["index"] for f in result.json()["failed"]] == [3]
    assert all(hr.get(f"/v1/profiles/N{uid}-{i}").status_code == 200 for i in range(6))


def test_bodies_nested_too_deep_are_a_client_error(profiles, hr, uid):
    deep_list, deep_object = "[" * 100_000, '{"a":' * 5_000
    json_body = {"Content-Type": "application/json"}
    for method, path, body, headers in [
        ("PUT", f"/v1/profiles/E{uid}", deep_list, json_body),
        ("PUT", f"/v1/profiles/E{uid}", deep_object, json_body),
        ("PUT", f"/v1/profiles/E{uid}", json.dumps(person(uid))[:-1] + ', "bio": ' + "[" * 990 + "]" * 990 + "}",
         json_body),
        ("POST", "/v1/profiles:import", deep_list, json_body),
        ("POST", "/v1/profiles:import", "[" + deep_object, json_body),
        ("GET", "/v1/profiles?cursor=" + encode_cursor_text("[" * 1_500), None, {}),
    ]:
        answer = hr.request(method, path, data=body, headers=headers)
        assert answer.status_code in (400, 422) and answer.headers["Content-Type"] == PROBLEM, (path, answer.text)
    assert hr.get(f"/v1/profiles/E{uid}").status_code == 404  # nothing half-written
    assert hr.get("/healthz").status_code == 200
