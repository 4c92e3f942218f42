"""The enrollment repository on the real store: a batch of guarded writes reports exactly which lost."""

from __future__ import annotations

import pytest

from services.matching.adapters.programs import MongoEnrollments
from services.matching.use_cases import events
from services.matching.use_cases.enrollments import new_enrollment
from shared.events import catalog as ev


@pytest.fixture
def enrollments(scratch_db):
    return MongoEnrollments(scratch_db)


def enrolled(program_id: str, employee_id: str, current=None, role: str = "mentee"):
    enrollment = new_enrollment(program_id, employee_id, role, current, "2025-01-01T00:00:00Z")
    return enrollment, events.enrollment(ev.ENROLLMENT_CREATED, enrollment, enrollment["enrolled_at"])


def withdrawn(repo: MongoEnrollments, program_id: str, employee_id: str) -> dict:
    first, event = enrolled(program_id, employee_id)
    assert repo.insert(first, [event])
    assert repo.update(first, {"status": "withdrawn", "version": 2}, [])
    return repo.get(program_id, employee_id)


def test_an_update_that_a_concurrent_writer_beat_to_the_same_version_is_reported_lost(enrollments, uid):
    program_id = f"p-{uid}"
    stale = withdrawn(enrollments, program_id, "ann")
    theirs, their_event = enrolled(program_id, "ann", stale, role="mentor")  # the person enrols meanwhile
    assert enrollments.update(stale, theirs, [their_event])
    mine, my_event = enrolled(program_id, "ann", stale)
    assert mine["version"] == theirs["version"]  # the same version number, so only exactness can tell

    assert enrollments.write_many([], [(stale, mine, my_event)]) == {"ann"}
    assert enrollments.get(program_id, "ann")["role"] == "mentor"  # their write stands


def test_a_batch_reports_only_the_rows_that_lost_and_writes_the_rest(enrollments, uid):
    program_id = f"p-{uid}"
    taken, event = enrolled(program_id, "bo")
    assert enrollments.insert(taken, [event])
    stale = withdrawn(enrollments, program_id, "cy")
    fresh = withdrawn(enrollments, program_id, "di")
    assert enrollments.update(stale, {"version": 3}, [])  # cy changed meanwhile
    inserts = [enrolled(program_id, "ann"), enrolled(program_id, "bo")]
    updates = [(stale, *enrolled(program_id, "cy", stale)), (fresh, *enrolled(program_id, "di", fresh))]

    assert enrollments.write_many(inserts, updates) == {"bo", "cy"}
    assert enrollments.get(program_id, "ann")["status"] == "active"
    assert (enrollments.get(program_id, "di")["status"], enrollments.get(program_id, "di")["version"]) == ("active", 3)
    assert enrollments.get(program_id, "cy")["status"] == "withdrawn"
