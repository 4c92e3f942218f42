"""The hostile bodies of the hardening probe (tests/fuzz/hostile/cases.yaml), each against its real service."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import jwt
import pytest
import requests
import yaml

from tests.fuzz.conftest import EVERY_ROLE
from tests.support.http import bearer
from tests.support.infra import TEST_SECRET

HERE = Path(__file__).resolve().parent / "hostile"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text())


def body_of(case: dict) -> bytes | None:
    if "deep" in case:
        deep = case["deep"]
        return (deep["open"] * deep["times"] + deep.get("middle", "") + deep["close"] * deep["times"]).encode()
    if "body_file" in case:
        return (HERE / case["body_file"]).read_bytes()
    if "body" in case:
        return json.dumps(case["body"]).encode()
    return None


def headers_of(case: dict) -> dict[str, str]:
    who = case.get("as", "admin")
    if who == "self":
        auth = bearer("employee", employee_id="hostile-self")
    elif who == "operator":  # a validly signed token whose claims are of the wrong type
        token = jwt.encode({"sub": "x", "roles": ["employee"], "employee_id": {"$ne": None},
                            "exp": int(time.time()) + 600}, TEST_SECRET, algorithm="HS256")
        auth = {"Authorization": f"Bearer {token}"}
    else:
        auth = bearer(*EVERY_ROLE, employee_id="hostile-admin")
    return {**auth, "Content-Type": case.get("content_type", "application/json"), **case.get("headers", {})}


def url_of(apis, case: dict) -> str:
    url = apis[case["service"]].url + case["path"]
    if "deep_cursor" in case:
        nested = "[" * case["deep_cursor"] + "]" * case["deep_cursor"]
        url += "?cursor=" + base64.urlsafe_b64encode(nested.encode()).decode().rstrip("=")
    if "deep_filter" in case:  # a SCIM filter in that many parentheses
        times = case["deep_filter"]
        url += "?" + urlencode({"filter": "(" * times + 'userName eq "a"' + ")" * times})
    return url


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_a_hostile_request_gets_a_clear_answer(apis, case):
    response = requests.request(case["method"], url_of(apis, case), data=body_of(case), headers=headers_of(case),
                                timeout=60)
    assert response.status_code in case["expect"], f"{response.status_code}: {response.text[:500]}"
    if 400 <= response.status_code < 500 and case["path"].startswith("/scim/v2"):  # SCIM's error body
        assert response.headers["Content-Type"].startswith("application/scim+json")
        assert response.json()["status"] == str(response.status_code) and response.json()["scimType"]
    elif 400 <= response.status_code < 500:
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert response.json()["status"] == response.status_code
    expected = case.get("expect_json", {})
    if "failed_indexes" in expected:
        assert [f["index"] for f in response.json()["failed"]] == expected["failed_indexes"]
    if "written" in expected:
        report = response.json()
        assert report["created"] + report["updated"] == expected["written"]
    if "created" in expected:
        assert response.json()["created"] == expected["created"]
