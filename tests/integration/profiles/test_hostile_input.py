"""Input an attacker or a broken HR export sends: always a clear 4xx problem, never a 500, never half-applied."""

import json

from tests.integration.profiles.conftest import person

PROBLEM = "application/problem+json"


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
