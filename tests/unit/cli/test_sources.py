"""Reading people files: line numbers, NDJSON rows, and file-level errors."""

import pytest

from tandem_cli import sources
from tandem_cli.errors import BadFile

HEADER = "employee_id,name,email,department,grade,roles\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_csv_rows_carry_the_line_they_start_on(tmp_path):
    path = write(tmp_path, "p.csv", HEADER + 'E1,Ann,a@x.io,Eng,5,mentee\n\n'
                 'E2,"Bob\nBuilder",b@x.io,Eng,5,mentor\nE3,Cy,c@x.io,Eng,x,mentor\n,,,,,\n')
    records = list(sources.read_records(path, "csv"))
    assert [r.line for r in records] == [2, 4, 6]
    assert records[1].profile["name"] == "Bob\nBuilder"
    assert records[2].profile is None and records[2].employee_id == "E3" and "grade" in records[2].errors
    assert sources.count_records(path, "csv") == 3


def test_a_spreadsheet_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    path = write(tmp_path, "p.csv", "\ufeff" + HEADER + "E1,Ann,a@x.io,Eng,5,mentee\n")
    assert next(sources.read_records(path, "csv")).profile["employee_id"] == "E1"


def test_a_row_with_more_cells_than_the_header_is_rejected(tmp_path):
    path = write(tmp_path, "p.csv", HEADER + "E1,Ann,a@x.io,Eng,5,mentee,extra\n")
    record = next(sources.read_records(path, "csv"))
    assert record.profile is None and record.errors == {"_row": ["7 cells, but the header has 6"]}


def test_ndjson_rows_go_as_they_are_and_bad_lines_are_rejected_with_their_number(tmp_path):
    path = write(tmp_path, "p.ndjson", '{"employee_id": "E1", "grade": 5}\n\n{not json\n[1, 2]\n'
                 '{"employee_id": 7}\n')
    records = list(sources.read_records(path, "ndjson"))
    assert [r.line for r in records] == [1, 3, 4, 5]
    assert records[0].profile == {"employee_id": "E1", "grade": 5} and records[0].employee_id == "E1"
    assert "not valid JSON" in records[1].errors["_row"][0]
    assert records[2].errors == {"_row": ["not a JSON object"]}
    assert records[3].profile == {"employee_id": 7} and records[3].employee_id is None  # the API will say why
    assert sources.count_records(path, "ndjson") == 4


@pytest.mark.parametrize("name, fmt", [("a.CSV", "csv"), ("a.ndjson", "ndjson"), ("a.jsonl", "ndjson")])
def test_the_format_comes_from_the_file_name(tmp_path, name, fmt):
    assert sources.detect_format(tmp_path / name) == fmt


def test_an_unknown_extension_asks_for_format(tmp_path):
    with pytest.raises(BadFile, match="--format"):
        sources.detect_format(tmp_path / "people.txt")


@pytest.mark.parametrize("text, message", [
    ("", "empty file"),
    ("employee_id,name,colour\n", "unknown columns: colour"),
    (HEADER + 'E1,"Ann,a@x.io\n', "not valid CSV"),
])
def test_file_level_problems_are_bad_files(tmp_path, text, message):
    with pytest.raises(BadFile, match=message):
        sources.count_records(write(tmp_path, "p.csv", text), "csv")


def test_a_file_that_is_not_utf8_is_a_bad_file(tmp_path):
    path = write(tmp_path, "p.csv", HEADER + "E1,Jürgen,j@x.io,Eng,5,mentee\n", encoding="latin-1")
    with pytest.raises(BadFile, match="not UTF-8"):
        sources.count_records(path, "csv")


def test_missing_files_and_directories_are_bad_files(tmp_path):
    with pytest.raises(BadFile, match="no such file"):
        sources.check_readable(tmp_path / "nope.csv")
    with pytest.raises(BadFile, match="is a directory"):
        sources.check_readable(tmp_path)
