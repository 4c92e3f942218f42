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
