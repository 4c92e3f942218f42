"""Hostile but well-formed requests to the analytics API: every one is a clear 4xx problem+json."""

from __future__ import annotations

import pytest

from tests.integration.analytics.support import summary_when
from tests.integration.analytics.world import EXPECTED_SUMMARY

PROBLEM = "application/problem+json"
DEEP = "[" * 1200  # nested deeper than Python recurses; URL-encoded, still under the request-line limit


@pytest.fixture(scope="module")
def program(admin, world) -> str:
    summary_when(admin, world.program_id, {"program_id": world.program_id, **EXPECTED_SUMMARY})
    return world.program_id


@pytest.mark.parametrize("query", [
    "breakdown?by=department%0A", "breakdown?by=grade%00", "breakdown?by=%E2%80%A8department",
    "timeseries?metric=sessions_completed%0D&interval=week", "timeseries?metric=sessions_completed&interval=week%0A",
    f"timeseries?metric={DEEP}",
])
def test_a_parameter_with_control_characters_or_deeply_nested_is_refused(admin, program, query):
    response = admin.get(f"/v1/programs/{program}/{query}")
    assert response.status_code == 422 and response.headers["Content-Type"] == PROBLEM


@pytest.mark.parametrize("path", ["summary", "outcomes", "export.csv"])
@pytest.mark.parametrize("query", [f"cursor={DEEP}", "limit=5", "by=department"])
def test_routes_without_parameters_refuse_unknown_ones_as_every_route_does(admin, program, path, query):
    response = admin.get(f"/v1/programs/{program}/{path}?{query}")
    assert response.status_code == 422 and response.headers["Content-Type"] == PROBLEM
    assert response.json()["errors"]


@pytest.mark.parametrize("program_id", ["a%0Ab", "a%0D%0ASet-Cookie:%20x=1", "a%00b", "x" * 3000])
def test_a_program_id_that_cannot_be_one_is_not_found_and_not_echoed(admin, program_id):
    for path in ("summary", "export.csv"):
        response = admin.get(f"/v1/programs/{program_id}/{path}")
        assert response.status_code == 404 and response.headers["Content-Type"] == PROBLEM
        detail = response.json()["detail"]
        assert len(detail) < 200 and not any(ord(c) < 32 for c in detail), detail


def test_a_deeply_nested_body_on_a_read_is_not_a_server_error(admin, program):
    response = admin.get(f"/v1/programs/{program}/summary", data="[" * 100_000,
                         headers={"Content-Type": "application/json"})
    assert response.status_code < 500


@pytest.mark.parametrize("query", ["breakdown?by=department&limit=5", "timeseries?metric=sessions_completed&by=grade"])
def test_routes_with_parameters_refuse_unknown_ones_beside_them(admin, program, query):
    response = admin.get(f"/v1/programs/{program}/{query}")
    assert response.status_code == 422 and response.headers["Content-Type"] == PROBLEM
