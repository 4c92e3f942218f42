"""The enrollment import on the fakes: the last row for a person is applied, bad rows never stop good ones."""

from __future__ import annotations

import json

import pytest

from services.matching.entrypoints.schemas import EnrollmentIn
from services.matching.use_cases.enrollment_import import import_enrollments
from services.matching.use_cases.enrollments import withdraw
from shared.bulk_import import ImportReport, parse_rows, valid_rows
from shared.errors import NotFound


def run_import(uow, program_id: str, rows: list) -> dict:
    report = ImportReport()
    parsed = parse_rows(json.dumps(rows).encode(), "application/json", max_rows=100, ndjson_allowed=False)
    return import_enrollments(uow, program_id, valid_rows(parsed, EnrollmentIn(), report), report).as_dict()


def test_good_rows_are_written_and_bad_ones_reported_by_index(org, uow):
    program_id = org.program()
    org.hire("ann", roles=("mentee",))
    org.hire("cy", roles=("mentor",))
    report = run_import(uow, program_id, [{"employee_id": "ann", "role": "mentee"}, {"employee_id": "ghost",
                                          "role": "mentee"}, {"employee_id": "cy", "role": "mentee"}, "x",
                                          {"employee_id": "cy", "role": "mentor", "extra": 1}])
    assert (report["created"], report["unchanged"]) == (1, 0)
    assert [(f["index"], sorted(f["errors"])) for f in report["failed"]] == [
        (1, ["employee_id"]), (2, ["role"]), (3, ["_row"]), (4, ["extra"])]
    assert [e["employee_id"] for e in uow.enrollments.active(program_id, "mentee")] == ["ann"]


def test_the_last_row_for_a_person_is_applied_and_earlier_ones_are_superseded(org, uow):
    program_id = org.program()
    org.hire("ann", roles=("mentee", "mentor"))
    report = run_import(uow, program_id, [{"employee_id": "ann", "role": "mentee"},
                                          {"employee_id": "ann", "role": "mentor"}])
    assert report["created"] == 1
    assert report["failed"] == [{"index": 0, "employee_id": "ann",
                                 "errors": {"employee_id": ["superseded by row 1, which was applied instead"]}}]
    assert uow.enrollments.get(program_id, "ann")["role"] == "mentor"


def test_importing_again_leaves_enrolled_people_unchanged_and_re_enrolls_the_withdrawn(org, uow, team):
    withdraw(uow, team, "cy")
    report = run_import(uow, team, [{"employee_id": "cy", "role": "mentee"}, {"employee_id": "di", "role": "mentee"},
                                    {"employee_id": "ada", "role": "mentee"}])
    assert (report["created"], report["unchanged"]) == (1, 1)
    assert [f["index"] for f in report["failed"]] == [2]  # Ada's profile has no mentee role
    assert uow.enrollments.get(team, "cy")["status"] == "active"


def test_an_unknown_program_is_not_found(uow):
    with pytest.raises(NotFound):
        import_enrollments(uow, "nope", [], ImportReport())


def test_a_row_whose_write_lost_to_a_concurrent_one_is_retried_and_counted_as_what_happened(org, uow, team):
    withdraw(uow, team, "cy")

    def cy_enrols_herself_meanwhile(doc):
        doc.update(status="active", version=doc["version"] + 1)

    uow.enrollments.concurrently = cy_enrols_herself_meanwhile
    report = run_import(uow, team, [{"employee_id": "cy", "role": "mentee"}])
    assert (report["created"], report["unchanged"], report["failed"]) == (0, 1, [])
