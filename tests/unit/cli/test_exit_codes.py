"""Exit codes scripts rely on: HTTP statuses, transport failures, bad files and missing credentials."""

import io

import pytest

from tandem_cli.__main__ import main
from tandem_cli.client import ServiceClient
from tandem_cli.errors import CliError, ExitCode, exit_code_for_status
from tests.support.infra import free_port
from tests.unit.cli.stub_http import StubService, as_json, problem

SECRET = "unit-test-secret-0123456789abcdef0123456789"


@pytest.mark.parametrize("status, code", [(200, 0), (400, 2), (404, 2), (409, 2), (422, 2), (401, 4), (403, 4),
                                          (500, 5), (502, 5), (503, 5)])
def test_http_statuses_map_to_exit_codes(status, code):
    assert exit_code_for_status(status) == code


def tandem(*argv, **env):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=env, out=out, err=err, out_bytes=io.BytesIO())
    return code, out.getvalue(), err.getvalue()


def test_a_problem_document_becomes_a_one_line_error_with_its_field_messages():
    with StubService() as stub:
        stub.routes[("GET", "/v1/x")] = lambda: problem(422, "bad input", errors={"grade": ["Must be 1-15."]})
        with pytest.raises(CliError) as caught:
            ServiceClient("profiles", stub.url, "t").json("GET", "/v1/x")
    assert caught.value.code == ExitCode.USAGE
    assert caught.value.message == "profiles service: 422 x: bad input — grade: Must be 1-15."


def test_an_answer_that_is_not_json_is_a_server_error():
    with StubService() as stub:
        stub.routes[("GET", "/v1/x")] = lambda: (200, {"Content-Type": "text/html"}, b"<html>")
        with pytest.raises(CliError) as caught:
            ServiceClient("matching", stub.url, "t").json("GET", "/v1/x")
    assert caught.value.code == ExitCode.SERVER and "not JSON" in caught.value.message


def test_an_unreachable_service_exits_3_in_one_line(tmp_path):
    people = tmp_path / "p.ndjson"
    people.write_text('{"employee_id": "E1"}\n')
    url = f"http://127.0.0.1:{free_port()}"
    code, _, err = tandem("import", str(people), "--profiles-url", url, TANDEM_TOKEN="t")
    assert code == 3
    assert err == f"tandem: error: profiles service unreachable at {url}: Connection refused\n"


@pytest.mark.parametrize("status, code", [(401, 4), (403, 4), (500, 5)])
def test_auth_and_server_failures_exit_4_and_5(tmp_path, status, code):
    people = tmp_path / "p.ndjson"
    people.write_text('{"employee_id": "E1"}\n')
    with StubService() as stub:
        stub.routes[("POST", "/v1/profiles:import")] = lambda: problem(status, "nope")
        result = tandem("import", str(people), "--no-progress", TANDEM_PROFILES_URL=stub.url, TANDEM_TOKEN="t")
    assert result[0] == code and result[2].count("\n") == 1 and f"{status}" in result[2]


def test_missing_credentials_exit_4_before_any_request(tmp_path):
    people = tmp_path / "p.ndjson"
    people.write_text('{"employee_id": "E1"}\n')
    code, _, err = tandem("import", str(people))
    assert code == 4 and "no credentials" in err


def test_a_missing_file_exits_2_even_without_credentials(tmp_path):
    code, _, err = tandem("import", str(tmp_path / "nope.csv"))
    assert code == 2 and err == f"tandem: error: {tmp_path / 'nope.csv'}: no such file\n"


def test_unknown_columns_exit_2_and_are_listed(tmp_path):
    people = tmp_path / "p.csv"
    people.write_text("employee_id,name,email,department,grade,roles,shoe_size\n")
    code, _, err = tandem("import", str(people), TANDEM_TOKEN="t")
    assert code == 2 and "unknown columns: shoe_size" in err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["import"])
    assert caught.value.code == 2 and "usage: tandem import" in capsys.readouterr().err


def test_the_token_flag_wins_over_the_environment_and_goes_as_a_bearer():
    with StubService() as stub:
        stub.routes[("GET", "/v1/programs/P1/export.csv")] = lambda: (200, {"Content-Type": "text/csv"}, b"a\n")
        code, _, _ = tandem("export", "P1", "--csv", "--token", "flag-token", "--analytics-url", stub.url,
                            TANDEM_TOKEN="env-token")
    assert code == 0 and stub.requests[0][2]["Authorization"] == "Bearer flag-token"


def test_options_work_before_the_command_name_too():
    with StubService() as stub:
        stub.routes[("GET", "/v1/programs/P1/export.csv")] = lambda: (200, {}, b"a\n")
        code, _, _ = tandem("--analytics-url", stub.url, "--token", "t", "export", "P1")
    assert code == 0 and stub.requests


def test_without_a_token_one_is_minted_from_the_secret_for_the_commands_role():
    import jwt

    with StubService() as stub:
        stub.routes[("POST", "/v1/programs/P1/matching-runs")] = lambda: as_json(404, {"detail": "no program"})
        code, _, err = tandem("programs", "run-matching", "P1", TANDEM_MATCHING_URL=stub.url,
                              AUTH_JWT_SECRET=SECRET)
    claims = jwt.decode(stub.requests[0][2]["Authorization"].split()[1], SECRET, algorithms=["HS256"])
    assert claims["roles"] == ["program_admin"] and code == 2 and "no program" in err


def test_token_prints_a_token_the_services_accept():
    from shared.auth import TokenVerifier

    code, out, _ = tandem("token", "--role", "manager", "--employee-id", "E7", "--hours", "2",
                          AUTH_JWT_SECRET=SECRET)
    principal = TokenVerifier(secret=SECRET).verify(out.strip())
    assert code == 0 and principal.roles == {"manager"} and principal.employee_id == "E7"


def test_token_without_a_secret_exits_2():
    code, _, err = tandem("token", "--role", "hr_admin")
    assert code == 2 and "AUTH_JWT_SECRET is not set" in err
