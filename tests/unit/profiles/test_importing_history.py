"""Import rows with occurred_at on in-memory ports: each moment of a person a version, in time order, audited."""

from datetime import timedelta

from services.profiles.entrypoints.schemas import ImportRow
from services.profiles.use_cases import erasure, importing, people
from shared.bulk_import import ImportReport, valid_rows
from shared.timeutil import parse_rfc3339, utcnow
from tests.unit.profiles.conftest import body
from tests.unit.profiles.fakes import once


def ago(days: float) -> str:
    return (utcnow() - timedelta(days=days)).astimezone().isoformat()


def row(employee_id: str, occurred_at: str | None = None, **overrides) -> dict:
    """An import row as HR sends it (JSON), with its moment when it is history."""
    moment = {} if occurred_at is None else {"occurred_at": occurred_at}
    return {"employee_id": employee_id, **body(**overrides), **moment}


def imported(uow, *sent: dict) -> ImportReport:
    """The rows through the import's own reading (its key for repeated rows) and use case."""
    report = ImportReport()
    loaded = valid_rows(list(sent), ImportRow(), report, key=importing.row_key)
    return importing.import_profiles(uow, loaded, report, recorded_by="hris")


def test_several_moments_of_one_person_apply_in_time_order_whatever_the_row_order(uow):
    hired, promoted, left = ago(300), ago(120), ago(20)
    report = imported(uow, row("E1", promoted, grade=7), row("E1", left, grade=7, employment_status="terminated"),
                      row("E1", hired, grade=6))
    assert (report.created, report.updated, report.unchanged, report.failed) == (1, 2, 0, [])
    stored = people.get_profile(uow, "E1")
    assert (stored["version"], stored["grade"], stored["employment_status"]) == (3, 7, "terminated")
    assert parse_rfc3339(stored["created_at"]) == parse_rfc3339(hired)
    events = uow.people.outbox["E1"]
    assert [e.type for e in events] == ["mentoring.profile.created"] + ["mentoring.profile.updated"] * 2
    assert [(e.data["version"], e.data["grade"], e.data["backfilled"]) for e in events] == [
        (1, 6, True), (2, 7, True), (3, 7, True)]
    assert [parse_rfc3339(e.data["updated_at"]) for e in events] == [parse_rfc3339(m) for m in (hired, promoted, left)]
    assert [(e["operation"], e["aggregate_id"], e["by"]) for e in uow.backfills.entries] == [
        ("profile.created", "E1", "hris"), ("profile.updated", "E1", "hris"), ("profile.updated", "E1", "hris")]
    assert uow.commits == 1  # the versions and their audit entries: one transaction


def test_rows_of_one_person_at_one_moment_are_repeats_and_the_last_applies(uow):
    moment = ago(50)
    report = imported(uow, row("E1", moment, grade=4), row("E1", ago(60), grade=3), row("E1", moment, grade=5))
    assert [(f["index"], list(f["errors"])) for f in report.failed] == [(0, ["employee_id"])]
    assert "superseded by row 2" in report.failed[0]["errors"]["employee_id"][0]
    assert [e.data["grade"] for e in uow.people.outbox["E1"]] == [3, 5]


def test_history_goes_first_and_a_live_row_of_the_same_person_follows_it_as_now(uow):
    report = imported(uow, row("E1", grade=9), row("E1", ago(30), grade=8))
    assert (report.created, report.updated, report.failed) == (1, 1, [])
    events = uow.people.outbox["E1"]
    assert [(e.data["grade"], e.data.get("backfilled")) for e in events] == [(8, True), (9, None)]
    assert len(uow.backfills.entries) == 1 and "occurred_at" not in people.get_profile(uow, "E1")


def test_a_row_before_what_is_recorded_or_outside_the_window_is_reported_and_the_others_apply(uow):
    people.put_profile(uow, "E1", body(grade=5))  # live, today
    future = (utcnow() + timedelta(hours=1)).isoformat()
    report = imported(uow, row("E1", ago(10), grade=6), row("E2", ago(40), grade=3), row("E2", future, grade=4),
                      row("E2", "1999-12-31T23:00:00Z", grade=2))
    failed = report.as_dict()["failed"]
    assert [(f["index"], f["employee_id"], list(f["errors"])) for f in failed] == [
        (0, "E1", ["occurred_at"]), (2, "E2", ["occurred_at"]), (3, "E2", ["occurred_at"])]
    assert "the profile's last change" in failed[0]["errors"]["occurred_at"][0]
    assert "5 minutes in the future" in failed[1]["errors"]["occurred_at"][0]
    assert (report.created, people.get_profile(uow, "E1")["version"], people.get_profile(uow, "E2")["grade"]) == (
        1, 1, 3)
    assert [e["aggregate_id"] for e in uow.backfills.entries] == ["E2"]


def test_a_re_import_of_the_same_history_changes_nothing_but_its_last_version(uow):
    history = [row("E1", ago(90), grade=5), row("E1", ago(30), grade=6)]
    imported(uow, *history)
    again = imported(uow, *history)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert [f["index"] for f in again.failed] == [0]  # the earlier version is older than what is recorded
    assert len(uow.backfills.entries) == 2 and people.get_profile(uow, "E1")["version"] == 2


def test_a_batch_that_lost_a_race_runs_again_from_a_fresh_read_and_keeps_no_trace_of_the_lost_attempt(uow):
    people.put_profile(uow, "E1", body(grade=5))
    uow.people.before_write = once(lambda: uow.people.update("E1", 1, {"version": 2, "grade": 6}, []))
    uow.people.docs["E1"]["updated_at"] = ago(100)  # as if HR had recorded the hire long ago
    report = imported(uow, row("E1", ago(50), grade=7), row("E2", ago(50)))
    assert (report.created, report.updated, report.failed) == (1, 1, [])
    assert people.get_profile(uow, "E1")["version"] == 3 and len(uow.backfills.entries) == 2
    assert uow.commits == 1 and people.get_profile(uow, "E1")["grade"] == 7


def test_a_rehire_over_an_erasure_is_history_too(uow):
    people.put_profile(uow, "E1", body())
    erasure.erase_person(uow, "E1")
    report = imported(uow, row("E1", (utcnow() + timedelta(minutes=1)).isoformat()))
    assert (report.created, people.get_profile(uow, "E1")["version"]) == (1, 3)
    before_the_erasure = imported(uow, row("E1", ago(10), grade=9))
    assert list(before_the_erasure.failed[0]["errors"]) == ["occurred_at"]
