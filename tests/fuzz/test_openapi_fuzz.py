"""Every operation of every service's OpenAPI document, driven by a property-based generator.

Schemathesis turns each operation into a Hypothesis strategy of requests, both valid for the
document (positive) and not (negative); a fixed seed (derandomize) and a bounded budget per
operation keep the run repeatable and within the suite's time. Whatever the generator sends, a
service answers below 500, and every 4xx is a problem+json document (RFC 9457), or under /scim/v2
a SCIM error (RFC 7644).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.fuzz.conftest import SERVICES

EXAMPLES_PER_OPERATION = 30
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
FUZZ = settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False)


def answers_well(case, headers) -> None:
    response = case.call(headers=headers, timeout=30)
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    assert response.status_code < 500, where
    if 400 <= response.status_code < 500 and case.method != "HEAD":
        content_type = (response.headers.get("content-type") or [""])[0]  # schemathesis: lower-case keys, lists
        body = response.json() if "json" in content_type else None
        if case.formatted_path.startswith("/scim/v2"):  # SCIM's own error body (RFC 7644 §3.12)
            assert content_type.startswith("application/scim+json"), where
            assert body["schemas"] == [SCIM_ERROR] and body["status"] == str(response.status_code), where
            assert body.get("detail"), where
            return
        assert content_type.startswith("application/problem+json"), where
        assert {"type", "title", "status", "detail"} <= body.keys() and body["status"] == response.status_code, where


def requests_for(operation):
    return st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))


def fuzz_operation(operation, headers) -> str | None:
    """The first way this operation misbehaves, if the generator finds one within the budget."""

    @FUZZ
    @given(case=requests_for(operation))
    def each(case):
        answers_well(case, headers)

    try:
        each()
    except AssertionError as exc:
        return str(exc).splitlines()[0]
    return None


@pytest.mark.parametrize("service", SERVICES)
def test_no_input_makes_a_service_fail(apis, headers, service):
    schema = schemathesis.openapi.from_url(f"{apis[service].url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    failures = [found for op in operations if (found := fuzz_operation(op, headers))]
    assert operations and not failures, f"{len(failures)} of {len(operations)} operations misbehave:\n" + \
        "\n".join(failures)
