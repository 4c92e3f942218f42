"""`tandem import` as a separate process against the real profiles service (real store and broker)."""

import csv
import json
import signal
import subprocess
import sys

import pytest

from tandem_cli import importstate, sources
from tests.integration.cli.conftest import cli_env, tandem
from tests.support.http import Client, bearer, token
from tests.support.infra import REPO, free_port
from tests.support.polling import wait_for

pytestmark = pytest.mark.integration

COLUMNS = ("employee_id,name,email,title,department,location,timezone,languages,manager_id,grade,years_experience,"
           "skills,interests,roles,mentor_capacity,availability_hours_per_month,employment_status")


@pytest.fixture
def env(profiles_api):
    return cli_env(TANDEM_PROFILES_URL=profiles_api.url)


@pytest.fixture
def hr(profiles_api) -> Client:
    return Client(profiles_api.url, bearer("hr_admin"))


def write_csv(path, rows):
    path.write_text(COLUMNS + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def people_in(hr: Client, department: str) -> set[str]:
    found, cursor = set(), None
    while True:
        page = hr.get("/v1/profiles", params={"department": department, "limit": 500, "cursor": cursor}).json()
        found |= {p["employee_id"] for p in page["items"]}
        if not (cursor := page["next_cursor"]):
            return found


def test_a_csv_with_bad_rows_imports_the_good_ones_and_reports_the_rest(env, hr, tmp_path, uid):
    dept = f"Eng-{uid}"
    path = write_csv(tmp_path / "people.csv", [
        f"M-{uid},Mona Lisa,mona.{uid}@example.com,Staff Engineer,{dept},Berlin,Europe/Berlin,en;DE,,12,15,"
        f"python:5;go:4,chess;cycling,mentor,3,6,active",
        f"A-{uid},Ana Ruiz,ana.{uid}@example.com,,{dept},,,,M-{uid},5,2.5,python:2,,mentee,,,",
        f"B-{uid},Bad Email,not-an-email,,{dept},,,,,5,,,,mentee,,,",
        f"C-{uid},Bad Grade,c.{uid}@example.com,,{dept},,,,,senior,,,,mentee,,,",
        f"D-{uid},Bad Zone,d.{uid}@example.com,,{dept},,Mars/Olympus,,,5,,python:9,,boss,,,",
    ])
    result = tandem("import", str(path), "--chunk-size", "2", env=env)
    assert result.returncode == 1, result.stderr
    assert "2 created, 0 updated, 0 unchanged, 3 rejected" in result.stdout
    report = {row["employee_id"]: row for row in csv.DictReader((tmp_path / "people.rejected.csv").open())}
    assert {k: v["line"] for k, v in report.items()} == {f"B-{uid}": "4", f"C-{uid}": "5", f"D-{uid}": "6"}
    assert "email" in report[f"B-{uid}"]["errors"] and "'senior' is not a whole number" in report[f"C-{uid}"]["errors"]
    assert all(field in report[f"D-{uid}"]["errors"] for field in ("timezone", "skills", "roles"))
    mona = hr.get(f"/v1/profiles/M-{uid}").json()
    assert mona["languages"] == ["en", "de"] and mona["skills"] == [{"name": "python", "level": 5},
                                                                  {"name": "go", "level": 4}]
    assert (mona["grade"], mona["mentor_capacity"], mona["interests"]) == (12, 3, ["chess", "cycling"])
    ana = hr.get(f"/v1/profiles/A-{uid}").json()
    assert (ana["manager_id"], ana["timezone"], ana["mentor_capacity"], ana["title"]) == (f"M-{uid}", "UTC", 0, None)
    assert people_in(hr, dept) == {f"M-{uid}", f"A-{uid}"}


def ndjson_people(path, uid, count, start=0):
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start, start + count):
            handle.write(json.dumps({"employee_id": f"N{i}-{uid}", "name": f"Person {i}", "email": f"p{i}.{uid}@x.io",
                                     "department": f"Ops-{uid}", "grade": 4, "roles": ["mentee"]}) + "\n")
    return path


def test_ndjson_imports_and_a_second_run_changes_nothing(env, hr, tmp_path, uid):
    path = ndjson_people(tmp_path / "people.ndjson", uid, 5)
    first = tandem("import", str(path), env=env)
    again = tandem("import", str(path), env=env)
    assert first.returncode == 0 and "5 created, 0 updated, 0 unchanged, 0 rejected" in first.stdout
    assert again.returncode == 0 and "0 created, 0 updated, 5 unchanged" in again.stdout
    assert len(people_in(hr, f"Ops-{uid}")) == 5 and not (tmp_path / "people.rejected.ndjson").exists()


def test_resume_sends_only_the_rows_after_the_last_completed_chunk(env, hr, tmp_path, uid):
    done_earlier = ndjson_people(tmp_path / "first.ndjson", uid, 6)
    assert tandem("import", str(done_earlier), env=env).returncode == 0  # the interrupted session's chunks
    path = ndjson_people(tmp_path / "people.ndjson", uid, 10)
    importstate.save(importstate.ImportProgress(sources.file_digest(path), rows_done=6, created=6),
                     importstate.progress_path(path))
    result = tandem("import", str(path), "--resume", "--chunk-size", "3", env=env)
    # re-sent rows would come back "unchanged": none did, so only rows 7-10 went out
    assert result.returncode == 0 and "imported 10 rows" in result.stdout
    assert "10 created, 0 updated, 0 unchanged" in result.stdout and "resuming after row 6" in result.stderr
    assert len(people_in(hr, f"Ops-{uid}")) == 10 and not importstate.progress_path(path).exists()


def test_an_import_interrupted_with_ctrl_c_resumes_where_it_stopped(env, hr, tmp_path, uid):
    path = ndjson_people(tmp_path / "big.ndjson", uid, 800)
    state = importstate.progress_path(path)
    proc = subprocess.Popen([sys.executable, "-m", "tandem_cli", "import", str(path), "--chunk-size", "50"],
                            env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(state.exists, timeout=30, interval=0.02, message="the first completed chunk")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    done = importstate.load(state).rows_done
    assert proc.returncode == 130 and f"stopped after {done:,} of 800 rows; rerun with --resume" in err
    assert 0 < done < 800

    result = tandem("import", str(path), "--resume", "--chunk-size", "50", env=env)
    counts = {kind: int(n.replace(",", "")) for n, kind in
              (part.split() for part in result.stdout.split(": ", 1)[1].split(", "))}
    assert result.returncode == 0 and "imported 800 rows" in result.stdout
    # at most the one chunk in flight at Ctrl-C was written but not recorded: it comes back unchanged
    assert counts["created"] + counts["unchanged"] == 800 and counts["unchanged"] <= 50
    assert len(people_in(hr, f"Ops-{uid}")) == 800


def test_an_unreachable_service_exits_3(tmp_path, uid):
    path = ndjson_people(tmp_path / "people.ndjson", uid, 1)
    result = tandem("import", str(path), env=cli_env(TANDEM_PROFILES_URL=f"http://127.0.0.1:{free_port()}"))
    assert result.returncode == 3 and "profiles service unreachable" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("bad_token", ["not-a-jwt", "wrong-secret", "employee"])
def test_bad_credentials_exit_4(env, tmp_path, uid, bad_token):
    from shared.auth import issue_token

    tokens = {"not-a-jwt": "not-a-jwt", "employee": token("employee", employee_id="E1"),
              "wrong-secret": issue_token("some-other-secret-0123456789abcdef", sub="x", roles=["hr_admin"])}
    path = ndjson_people(tmp_path / "people.ndjson", uid, 1)
    result = tandem("import", str(path), "--token", tokens[bad_token], env=env)
    assert result.returncode == 4 and ("401" in result.stderr or "403" in result.stderr)


def test_a_missing_file_exits_2(env, tmp_path):
    result = tandem("import", str(tmp_path / "people.csv"), env=env)
    assert result.returncode == 2 and result.stderr == f"tandem: error: {tmp_path / 'people.csv'}: no such file\n"


def test_unknown_columns_exit_2_before_anything_is_sent(env, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("employee_id,name,email,department,grade,roles,salary\nX1,A,a@x.io,D,5,mentee,100\n")
    result = tandem("import", str(path), env=env)
    assert result.returncode == 2 and "unknown columns: salary" in result.stderr
