"""Chunking, the rejected-rows report and resuming after an interruption (the API is an in-memory fake)."""

import csv
import io
import json

import pytest

from tandem_cli import importstate, sources
from tandem_cli.errors import BadFile, CliError, ExitCode, Unreachable
from tandem_cli.importer import ImportOptions, chunked, relabel_rows, run_import
from tandem_cli.sources import Record

HEADER = "employee_id,name,email,department,grade,roles\n"


class FakeProfilesApi:
    """Answers POST /v1/profiles:import like the profiles service; ids starting with BAD fail."""

    def __init__(self, fail_on_call: int | None = None):
        self.calls: list[list[dict]] = []
        self.fail_on_call = fail_on_call

    def json(self, method, path, json):
        assert (method, path) == ("POST", "/v1/profiles:import")
        if self.fail_on_call is not None and len(self.calls) + 1 == self.fail_on_call:
            raise Unreachable("profiles service unreachable at http://x: Connection refused")
        self.calls.append(json)
        failed = [{"index": i, "employee_id": row["employee_id"], "errors": {"email": ["not an email address"]}}
                  for i, row in enumerate(json) if row["employee_id"].startswith("BAD")]
        return {"created": len(json) - len(failed), "updated": 0, "unchanged": 0, "failed": failed}

    @property
    def sent_ids(self):
        return [row["employee_id"] for call in self.calls for row in call]


def people_csv(tmp_path, ids):
    path = tmp_path / "people.csv"
    rows = [f"{i},Person {i},{i.lower()}@x.io,Eng,{'x' if i.startswith('NUM') else 5},mentee" for i in ids]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(api, path, **options):
    out, err = io.StringIO(), io.StringIO()
    code = run_import(api, ImportOptions(path, show_progress=False, **options), out, err)
    return code, out.getvalue(), err.getvalue()


def test_chunked_splits_in_order_with_a_short_tail():
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(chunked([], 3)) == []


def test_rows_go_in_chunks_and_rejections_are_reported_with_their_lines(tmp_path):
    api = FakeProfilesApi()
    path = people_csv(tmp_path, ["E1", "BAD2", "E3", "NUM4", "E5"])
    code, out, _ = run(api, path, chunk_size=2)
    assert code == ExitCode.REJECTED
    assert [len(call) for call in api.calls] == [2, 1, 1]  # NUM4 never left the machine
    assert api.sent_ids == ["E1", "BAD2", "E3", "E5"]
    assert "3 created" in out and "2 rejected" in out
    report = list(csv.DictReader((tmp_path / "people.rejected.csv").open()))
    assert [(r["line"], r["employee_id"]) for r in report] == [("3", "BAD2"), ("5", "NUM4")]
    assert report[0]["errors"] == "email: not an email address" and "grade" in report[1]["errors"]
    assert not importstate.progress_path(path).exists()  # finished: nothing to resume


def test_a_clean_import_exits_0_and_writes_no_report(tmp_path):
    code, out, _ = run(FakeProfilesApi(), people_csv(tmp_path, ["E1", "E2"]))
    assert code == ExitCode.OK and "2 created" in out and "0 rejected" in out
    assert not (tmp_path / "people.rejected.csv").exists()


def test_an_interrupted_import_resumes_after_the_last_completed_chunk(tmp_path):
    path = people_csv(tmp_path, ["BAD1", "E2", "E3", "E4", "BAD5", "E6"])
    with pytest.raises(CliError) as caught:
        run(FakeProfilesApi(fail_on_call=2), path, chunk_size=2)
    assert caught.value.code == ExitCode.UNREACHABLE
    assert "stopped after 2 of 6 rows; rerun with --resume" in caught.value.message
    saved = importstate.load(importstate.progress_path(path))
    assert (saved.rows_done, saved.created, saved.rejected) == (2, 1, 1)

    api = FakeProfilesApi()
    code, out, _ = run(api, path, chunk_size=2, resume=True)
    assert api.sent_ids == ["E3", "E4", "BAD5", "E6"]
    assert code == ExitCode.REJECTED and "imported 6 rows" in out and "4 created" in out and "2 rejected" in out
    report = list(csv.DictReader((tmp_path / "people.rejected.csv").open()))
    assert [r["employee_id"] for r in report] == ["BAD1", "BAD5"]  # appended, header once


def test_without_resume_an_old_progress_file_is_ignored_and_replaced(tmp_path):
    path = people_csv(tmp_path, ["E1", "E2", "E3"])
    importstate.save(importstate.ImportProgress(sources.file_digest(path), rows_done=2),
                     importstate.progress_path(path))
    api = FakeProfilesApi()
    _, _, err = run(api, path)
    assert api.sent_ids == ["E1", "E2", "E3"] and "starting over" in err


def test_resume_refuses_a_file_that_changed(tmp_path):
    path = people_csv(tmp_path, ["E1", "E2"])
    importstate.save(importstate.ImportProgress("0" * 64, rows_done=1), importstate.progress_path(path))
    with pytest.raises(BadFile, match="changed since the interrupted import"):
        run(FakeProfilesApi(), path, resume=True)


def test_resume_without_a_progress_file_starts_from_the_first_row(tmp_path):
    api = FakeProfilesApi()
    _, _, err = run(api, people_csv(tmp_path, ["E1"]), resume=True)
    assert api.sent_ids == ["E1"] and "nothing to resume" in err


def test_a_torn_progress_file_is_a_bad_file(tmp_path):
    path = people_csv(tmp_path, ["E1"])
    importstate.progress_path(path).write_text("{not json")
    with pytest.raises(BadFile, match="progress file is unreadable"):
        run(FakeProfilesApi(), path, resume=True)


def test_an_ndjson_report_is_written_next_to_an_ndjson_input(tmp_path):
    path = tmp_path / "people.ndjson"
    path.write_text('{"employee_id": "E1"}\n{oops\n{"employee_id": "BAD3"}\n')
    code, _, _ = run(FakeProfilesApi(), path)
    lines = [json.loads(line) for line in (tmp_path / "people.rejected.ndjson").read_text().splitlines()]
    assert code == ExitCode.REJECTED
    assert [(r["line"], r["employee_id"]) for r in lines] == [(2, None), (3, "BAD3")]
    assert lines[1]["errors"] == {"email": ["not an email address"]}


def test_an_explicit_report_path_picks_its_format_from_the_extension(tmp_path):
    report = tmp_path / "out" / "rejects.ndjson"
    report.parent.mkdir()
    run(FakeProfilesApi(), people_csv(tmp_path, ["BAD1"]), report_path=report)
    assert json.loads(report.read_text())["employee_id"] == "BAD1"


def test_row_references_in_api_messages_become_file_lines():
    sent = [Record(10, {}), Record(12, {}), Record(15, {})]
    errors = {"employee_id": ["repeated at row 2; that row was kept"], "x": {"y": ["row 9 stays"]}}
    assert relabel_rows(errors, sent) == {"employee_id": ["repeated at line 15; that row was kept"],
                                          "x": {"y": ["row 9 stays"]}}


def test_a_report_in_a_missing_folder_is_refused_before_anything_is_sent(tmp_path):
    api = FakeProfilesApi()
    with pytest.raises(BadFile, match="report's folder does not exist"):
        run(api, people_csv(tmp_path, ["E1"]), report_path=tmp_path / "nope" / "r.csv")
    assert api.calls == []


def test_a_too_large_chunk_suggests_a_smaller_chunk_size(tmp_path):
    class TooLarge(FakeProfilesApi):
        def json(self, method, path, json):
            error = CliError("profiles service: 413 Payload too large")
            error.status = 413
            raise error

    with pytest.raises(CliError, match="try a smaller --chunk-size"):
        run(TooLarge(), people_csv(tmp_path, ["E1"]))
