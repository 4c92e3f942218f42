"""`tandem programs run-matching` against the real profiles and matching services."""

import pytest

from tests.integration.cli.conftest import cli_env, tandem
from tests.support.http import Client, bearer
from tests.support.polling import wait_for

pytestmark = pytest.mark.integration

COLUMNS = "employee_id,name,email,department,grade,roles,skills,mentor_capacity,languages"


@pytest.fixture
def env(profiles, matching):
    return cli_env(TANDEM_PROFILES_URL=profiles.url, TANDEM_MATCHING_URL=matching.url)


def test_a_run_started_from_the_cli_is_followed_to_its_summary(env, matching, tmp_path, uid):
    people = tmp_path / "cohort.csv"
    people.write_text("\n".join([
        COLUMNS,
        f"M-{uid},Maya {uid},maya.{uid}@x.io,Engineering,9,mentor,python:5,1,en",
        f"A-{uid},Ada {uid},ada.{uid}@x.io,Sales,4,mentee,python:1,,en",
        f"B-{uid},Bo {uid},bo.{uid}@x.io,Legal,4,mentee,python:2,,en",
    ]) + "\n")
    assert tandem("import", str(people), env=env).returncode == 0
    admin = Client(matching.url, bearer("program_admin", employee_id="admin-1"))
    program = admin.post("/v1/programs", json={"name": f"Cohort {uid}", "starts_on": "2025-01-06",
                                               "ends_on": "2025-12-19", "checkin_every_days": 14}).json()
    for employee_id, role in ((f"M-{uid}", "mentor"), (f"A-{uid}", "mentee"), (f"B-{uid}", "mentee")):
        wait_for(lambda e=employee_id, r=role: admin.post(f"/v1/programs/{program['program_id']}/enrollments",
                                                          json={"employee_id": e, "role": r}).status_code == 201,
                 timeout=60, message=f"matching to know {employee_id}")

    result = tandem("programs", "run-matching", program["program_id"], "--interval", "0.2", env=env)

    assert result.returncode == 0, result.stderr
    table = dict(line.rsplit(None, 1) for line in result.stdout.strip().splitlines())
    run = admin.get(f"/v1/matching-runs/{table['run']}").json()
    assert table["status"] == "completed" and table["assigned"] == "1" and table["unmatched"] == "1"
    assert table[f"  {run['unmatched'][0]['reason']}"] == "1"
    assert table["objective"] == f"{run['objective']:.6f}" and table["duration"] == f"{run['duration_ms'] / 1000:.2f}s"


def test_an_unknown_program_exits_2(env):
    result = tandem("programs", "run-matching", "no-such-program", env=env)
    assert result.returncode == 2 and "404" in result.stderr
