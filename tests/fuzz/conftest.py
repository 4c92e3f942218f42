"""The four APIs as real processes, for the fuzz layer: every operation of every OpenAPI document."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests.support.http import bearer
from tests.support.processes import running

SERVICES = ("profiles", "matching", "notifications", "analytics")
# Everyone at once: a token every route accepts, so the generator reaches past authorisation.
EVERY_ROLE = ("hr_admin", "program_admin", "manager", "employee")


@pytest.fixture(scope="package")
def apis(infra, logs_dir):
    env = {"NOTIFY_WEBHOOK_ALLOW_PRIVATE": "0"}
    with ExitStack() as stack:
        yield {name: stack.enter_context(running(name, infra, logs_dir, "api", **env)) for name in SERVICES}


@pytest.fixture(scope="package")
def headers():
    return bearer(*EVERY_ROLE, employee_id="fuzz-admin")
