"""The import use case on in-memory ports: batches, counts, rehires and writes that lose a race."""

from services.profiles.use_cases import erasure, importing, people
from shared.bulk_import import ImportReport
from tests.unit.profiles.conftest import body
from tests.unit.profiles.fakes import once


def rows(*people_rows: dict) -> list[tuple[int, dict]]:
    return [(i, {"employee_id": r.pop("employee_id"), **body(**r)}) for i, r in enumerate(people_rows)]


def test_rows_are_created_updated_or_left_unchanged_and_counted_so(uow):
    people.put_profile(uow, "E1", body())
    people.put_profile(uow, "E2", body())
    report = importing.import_profiles(uow, rows({"employee_id": "E1"}, {"employee_id": "E2", "grade": 9},
                                                 {"employee_id": "E3"}), ImportReport())
    assert (report.created, report.updated, report.unchanged, report.failed) == (1, 1, 1, [])
    assert people.get_profile(uow, "E2")["version"] == 2
    assert uow.people.events_of("E3") == ["mentoring.profile.created"]


def test_a_rehired_person_is_created_again_over_the_tombstone(uow):
    people.put_profile(uow, "E1", body())
    erasure.erase_person(uow, "E1")
    report = importing.import_profiles(uow, rows({"employee_id": "E1"}), ImportReport())
    assert (report.created, people.get_profile(uow, "E1")["version"]) == (1, 3)


def test_a_row_whose_write_lost_a_race_is_written_again_and_counted_by_what_that_did(uow):
    people.put_profile(uow, "E1", body())
    uow.people.before_write = once(lambda: uow.people.update("E1", 1, {"version": 2, "grade": 3}, []))
    report = importing.import_profiles(uow, rows({"employee_id": "E1", "grade": 9}), ImportReport())
    assert (report.updated, report.failed) == (1, [])
    assert people.get_profile(uow, "E1")["grade"] == 9 and people.get_profile(uow, "E1")["version"] == 3


def test_a_row_that_cannot_be_written_is_reported_not_counted(uow):
    people.put_profile(uow, "E1", body())
    uow.people.before_write = lambda: uow.people.docs["E1"].update(version=uow.people.docs["E1"]["version"] + 1)
    report = importing.import_profiles(uow, rows({"employee_id": "E1", "grade": 9}), ImportReport())
    assert (report.created, report.updated) == (0, 0)
    assert [(f["index"], f["employee_id"]) for f in report.failed] == [(0, "E1")]



def test_rows_beyond_one_batch_are_all_written_and_a_lost_one_in_a_later_batch_is_retried(uow):
    many = [(i, {"employee_id": f"E{i}", **body()}) for i in range(2 * importing.BATCH + 5)]
    report = importing.import_profiles(uow, many, ImportReport())
    assert (report.created, len(uow.people.docs)) == (len(many), len(many))
    last = f"E{2 * importing.BATCH + 1}"
    uow.people.before_write = once(lambda: uow.people.update(last, 1, {"version": 2, "grade": 3}, []))
    again = importing.import_profiles(uow, [(i, {**row, "grade": 9}) for i, row in many], ImportReport())
    assert (again.updated, again.failed) == (len(many), [])
    assert people.get_profile(uow, last)["version"] == 3
