"""The bulk-import core: rows by index, bad lines alone, the last row for a key applied."""

import pytest
from marshmallow import fields

from shared.bulk_import import ImportReport, parse_rows, valid_rows
from shared.errors import DomainError, Invalid
from shared.schemas import EmployeeId, Strict


class Row(Strict):
    employee_id = EmployeeId(required=True)
    role = fields.String(required=True)


def test_one_bad_ndjson_line_is_reported_by_index_and_the_good_ones_are_kept():
    deep = "[" * 100_000 + "]" * 100_000
    body = "\n".join(['{"employee_id": "E1", "role": "mentee"}', "{not json", deep,
                      '{"employee_id": "E2", "role": "mentor"}']).encode()
    report = ImportReport()
    kept = valid_rows(parse_rows(body, "application/x-ndjson", max_rows=10), Row(), report)
    assert [(i, r["employee_id"]) for i, r in kept] == [(0, "E1"), (3, "E2")]
    assert [f["index"] for f in report.failed] == [1, 2]
    assert "too deeply" in report.failed[1]["errors"]["_row"][0]


def test_the_last_row_for_a_key_is_applied_and_the_earlier_ones_are_reported():
    rows = [{"employee_id": "E1", "role": "mentee"}, {"employee_id": "E2", "role": "mentee"},
            {"employee_id": "E1", "role": "mentor"}]
    report = ImportReport()
    kept = valid_rows(rows, Row(), report)
    assert [(i, r["role"]) for i, r in kept] == [(1, "mentee"), (2, "mentor")]
    assert report.as_dict()["failed"] == [{"index": 0, "employee_id": "E1", "errors": {
        "employee_id": ["superseded by row 2, which was applied instead"]}}]


def test_rows_that_are_not_objects_or_fail_the_schema_fail_alone():
    report = ImportReport()
    kept = valid_rows([7, {"employee_id": {"$ne": 1}, "role": "x"}, {"employee_id": "E1", "role": "x"}], Row(),
                      report)
    assert [i for i, _ in kept] == [2] and [f["index"] for f in report.failed] == [0, 1]
    assert report.failed[1]["employee_id"] is None  # a non-string id is not echoed back


def test_a_whole_body_that_is_not_an_array_or_too_deep_or_too_long_is_refused():
    with pytest.raises(Invalid):
        parse_rows(b'{"employee_id": "E1"}', "application/json", max_rows=10, ndjson_allowed=False)
    with pytest.raises(DomainError):
        parse_rows(b"[" * 100_000, "application/json", max_rows=10)
    with pytest.raises(Invalid):
        parse_rows(b"[" + b",".join([b"{}"] * 11) + b"]", "application/json", max_rows=10)
