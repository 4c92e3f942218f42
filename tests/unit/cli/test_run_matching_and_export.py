"""run-matching and export against a local stub of the matching and analytics HTTP APIs.

This tests the CLI's own logic (polling, retries, summary table, exit codes, file output), including
answers a real service rarely gives (failed runs, timeouts, outages). run-matching also runs against
the real matching service in tests/integration/cli; export only here until the analytics service exists.
"""

import io
import itertools

from tandem_cli.__main__ import main
from tandem_cli.matching import summary_table, unmatched_by_reason
from tests.unit.cli.stub_http import StubService, as_json, problem

COMPLETED = {"run_id": "R1", "program_id": "P1", "status": "completed", "objective": 1.75, "duration_ms": 1520,
             "assignments": [{"mentee_id": "A", "mentor_id": "M", "score": 0.9, "breakdown": {}},
                             {"mentee_id": "B", "mentor_id": "N", "score": 0.85, "breakdown": {}}],
             "unmatched": [{"mentee_id": "C", "reason": "no_capacity"}, {"mentee_id": "D", "reason": "constraints"},
                           {"mentee_id": "E", "reason": "no_capacity"}]}


def tandem(stub, *argv):
    out, err, raw = io.StringIO(), io.StringIO(), io.BytesIO()
    code = main(list(argv), env={"TANDEM_MATCHING_URL": stub.url, "TANDEM_ANALYTICS_URL": stub.url,
                                 "TANDEM_TOKEN": "t"}, out=out, err=err, out_bytes=raw)
    return code, out.getvalue(), err.getvalue(), raw.getvalue()


def sequence(*answers):
    """Answers in turn, the last one repeated."""
    items = itertools.chain(answers, itertools.repeat(answers[-1]))
    return lambda: next(items)


def test_a_run_is_started_followed_and_summarised():
    with StubService() as stub:
        stub.routes[("POST", "/v1/programs/P1/matching-runs")] = lambda: as_json(202, {"run_id": "R1"})
        stub.routes[("GET", "/v1/matching-runs/R1")] = sequence(
            as_json(200, {"run_id": "R1", "status": "running", "phase": "queued"}),
            as_json(200, {"run_id": "R1", "status": "running", "phase": "solved"}), as_json(200, COMPLETED))
        code, out, err, _ = tandem(stub, "programs", "run-matching", "P1", "--interval", "0.01")
    assert code == 0
    assert "matching run R1: queued" in err and "matching run R1: solved" in err
    table = dict(line.rsplit(None, 1) for line in out.strip().splitlines())
    assert table["assigned"] == "2" and table["unmatched"] == "3"
    assert table["  no_capacity"] == "2" and table["  constraints"] == "1"
    assert table["objective"] == "1.750000" and table["duration"] == "1.52s"


def test_a_failed_run_exits_1_and_shows_the_error():
    failed = {"run_id": "R2", "program_id": "P1", "status": "failed", "error": "solver crashed",
              "assignments": [], "unmatched": [], "objective": None, "duration_ms": None}
    with StubService() as stub:
        stub.routes[("POST", "/v1/programs/P1/matching-runs")] = lambda: as_json(202, {"run_id": "R2"})
        stub.routes[("GET", "/v1/matching-runs/R2")] = lambda: as_json(200, failed)
        code, out, _, _ = tandem(stub, "programs", "run-matching", "P1", "--no-progress")
    assert code == 1 and "solver crashed" in out and "objective" in out


def test_a_run_already_going_for_the_program_is_followed_instead():
    with StubService() as stub:
        stub.routes[("POST", "/v1/programs/P1/matching-runs")] = lambda: problem(409, "already running",
                                                                                  errors={"run_id": ["R1"]})
        stub.routes[("GET", "/v1/matching-runs/R1")] = lambda: as_json(200, COMPLETED)
        code, _, err, _ = tandem(stub, "programs", "run-matching", "P1")
    assert code == 0 and "already running; following R1" in err


def test_a_run_still_going_at_the_timeout_exits_1():
    with StubService() as stub:
        stub.routes[("POST", "/v1/programs/P1/matching-runs")] = lambda: as_json(202, {"run_id": "R3"})
        stub.routes[("GET", "/v1/matching-runs/R3")] = lambda: as_json(200, {"status": "running"})
        code, out, err, _ = tandem(stub, "programs", "run-matching", "P1", "--interval", "0.01", "--timeout", "0.1")
    assert code == 1 and out == "" and "still running after 0.1s" in err


def test_a_brief_outage_while_polling_is_retried():
    with StubService() as stub:
        stub.routes[("POST", "/v1/programs/P1/matching-runs")] = lambda: as_json(202, {"run_id": "R1"})
        stub.routes[("GET", "/v1/matching-runs/R1")] = sequence(problem(503, "restarting"), as_json(200, COMPLETED))
        code, _, _, _ = tandem(stub, "programs", "run-matching", "P1", "--interval", "0.01")
    assert code == 0


def test_an_unknown_program_exits_2():
    with StubService() as stub:
        code, _, err, _ = tandem(stub, "programs", "run-matching", "NOPE")
    assert code == 2 and "404" in err


def test_json_output_is_the_finished_run():
    import json

    with StubService() as stub:
        stub.routes[("POST", "/v1/programs/P1/matching-runs")] = lambda: as_json(202, {"run_id": "R1"})
        stub.routes[("GET", "/v1/matching-runs/R1")] = lambda: as_json(200, COMPLETED)
        code, out, _, _ = tandem(stub, "programs", "run-matching", "P1", "--json")
    assert code == 0 and json.loads(out) == COMPLETED


def test_unmatched_reasons_are_counted_most_frequent_first():
    assert unmatched_by_reason(COMPLETED) == [("no_capacity", 2), ("constraints", 1)]
    empty = summary_table({"run_id": "R", "program_id": "P", "status": "completed", "assignments": [],
                           "unmatched": [], "objective": 0, "duration_ms": 3})
    assert dict(line.rsplit(None, 1) for line in empty.splitlines())["unmatched"] == "0"


CSV = b"mentorship_id,status\nM1,active\n" * 1000


def test_export_streams_the_csv_to_stdout():
    with StubService() as stub:
        stub.routes[("GET", "/v1/programs/P%201/export.csv")] = lambda: (200, {"Content-Type": "text/csv"}, CSV)
        code, _, _, raw = tandem(stub, "export", "P 1", "--csv")
    assert code == 0 and raw == CSV


def test_export_to_a_file_writes_it_whole(tmp_path):
    target = tmp_path / "p1.csv"
    with StubService() as stub:
        stub.routes[("GET", "/v1/programs/P1/export.csv")] = lambda: (200, {"Content-Type": "text/csv"}, CSV)
        code, _, err, raw = tandem(stub, "export", "P1", "--csv", "-o", str(target))
    assert code == 0 and target.read_bytes() == CSV and raw == b"" and f"to {target}" in err
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_export_leaves_no_file(tmp_path):
    target = tmp_path / "p1.csv"
    with StubService() as stub:
        stub.routes[("GET", "/v1/programs/P1/export.csv")] = lambda: problem(403, "analytics is for program admins")
        code, _, err, _ = tandem(stub, "export", "P1", "-o", str(target))
    assert code == 4 and "program admins" in err and not target.exists()


def test_export_into_a_missing_directory_is_a_bad_file(tmp_path):
    with StubService() as stub:
        stub.routes[("GET", "/v1/programs/P1/export.csv")] = lambda: (200, {}, CSV)
        code, _, err, _ = tandem(stub, "export", "P1", "-o", str(tmp_path / "no" / "p1.csv"))
    assert code == 2 and "cannot write" in err
