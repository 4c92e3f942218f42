"""History in bulk on the fakes: imported enrollments, a matching wave, leavers in the past, the audit
trail through erasure, and a backfilled write that loses a race running again as one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.matching.use_cases import backfills, directory, enrollment_import, enrollments, proposals
from services.matching.use_cases.mentorships import act_on
from services.matching.use_cases.run_executor import RunExecutor
from services.matching.use_cases.runs import request_run, run_outcome
from shared.bulk_import import ImportReport
from shared.events import catalog as ev
from shared.timeutil import to_rfc3339, utcnow
from tests.unit.matching.use_cases.conftest import ADMIN, at, days_ago, person


def test_imported_rows_with_occurred_at_are_history_each_audited_and_bad_moments_fail_alone(org, uow):
    for employee_id in ("ann", "bo", "cy"):
        org.hire(employee_id)
    program_id = org.program()
    joined = days_ago(90)
    rows = [(0, {"employee_id": "ann", "role": "mentee", "occurred_at": joined.occurred_at}),
            (1, {"employee_id": "bo", "role": "mentee", "occurred_at": utcnow() + timedelta(hours=1)}),
            (2, {"employee_id": "cy", "role": "mentee", "occurred_at": None})]
    report = enrollment_import.import_enrollments(uow, program_id, rows, ImportReport(), recorded_by="admin-1")
    assert (report.created, [f["index"] for f in report.failed]) == (2, [1])
    assert "in the future" in report.failed[0]["errors"]["occurred_at"][0]
    assert uow.enrollments.get(program_id, "ann")["enrolled_at"] == at(joined)
    by_person = {e.data["employee_id"]: e.data for e in uow.enrollments.published}
    assert (by_person["ann"]["backfilled"], "backfilled" in by_person["cy"]) == (True, False)
    assert [(e["employee_ids"], e["occurred_at"], e["by"]) for e in uow.backfills.entries] == [
        (["ann"], at(joined), "admin-1")]


def test_a_backfilled_wave_matches_those_enrolled_by_then_and_proposes_them_then(org, uow):
    org.hire("ada", roles=("mentor",), grade=9, capacity=3)
    for mentee in ("cy", "di"):
        org.hire(mentee, grade=4)
    program_id = org.program()
    enrollments.enroll(uow, program_id, "ada", "mentor", days_ago(120))
    enrollments.enroll(uow, program_id, "cy", "mentee", days_ago(120))
    enrollments.enroll(uow, program_id, "di", "mentee", days_ago(10))  # joined after the wave
    wave = days_ago(100)
    run = request_run(uow, program_id, "admin-1", wave)
    RunExecutor(uow, "worker-1").tick()
    outcome = run_outcome(uow, run["run_id"])
    assert outcome["occurred_at"] == at(wave)
    assert [a["mentee_id"] for a in outcome["assignments"]] == ["cy"] and outcome["unmatched"] == []
    [proposal] = uow.mentorships.docs.values()
    assert proposal["created_at"] == at(wave) and uow.mentorships.published[0].data["backfilled"] is True
    assert uow.backfills.entries[-1]["operation"] == "matching_run.requested"


def test_a_leaver_in_the_past_leaves_then_and_not_before_what_they_leave_began(uow, history):
    program_id = history
    proposal = proposals.propose(uow, program_id, "ada", "cy", "admin-1", days_ago(150))
    act_on(uow, ADMIN, proposal["mentorship_id"], "accept", None, days_ago(100))
    left = to_rfc3339(utcnow() - timedelta(days=120))  # HR's date is before the pair's start

    directory.profile_changed(uow, {**person("ada", roles=("mentor",), grade=9, version=2, status="terminated"),
                                    "updated_at": left, "backfilled": True})

    ended = uow.mentorships.get(proposal["mentorship_id"])
    assert (ended["end_reason"], ended["ended_at"]) == ("left_company", ended["started_at"])
    assert uow.enrollments.get(program_id, "ada")["withdrawn_at"] == left
    [withdrawn] = [e for e in uow.enrollments.published if e.type == ev.ENROLLMENT_WITHDRAWN.name]
    assert (withdrawn.data["at"], withdrawn.data["backfilled"]) == (left, True)
    assert uow.mentorships.published[-1].data["backfilled"] is True


def test_erasure_pseudonymises_the_persons_id_in_the_audit_trail_and_the_trail_pages(org, uow):
    org.hire("ann")
    org.hire("bo")
    program_id = org.program()
    for employee_id in ("ann", "bo"):
        enrollments.enroll(uow, program_id, employee_id, "mentee", days_ago(30))
    directory.profile_erased(uow, "ann", 2)
    first = backfills.list_backfills(uow, limit=1, cursor=None)
    second = backfills.list_backfills(uow, limit=1, cursor=first["next_cursor"])
    assert first["items"][0]["employee_ids"][0].startswith("erased-")
    assert second["items"][0]["employee_ids"] == ["bo"] and second["next_cursor"] is None
    assert "ann" not in str(uow.backfills.entries)


def test_a_backfilled_proposal_that_loses_its_mentor_slot_runs_again_and_is_audited_once(uow, history):

    def another_admin_takes_the_same_slot(mine):
        uow.mentorships.docs["theirs"] = {**mine, "mentorship_id": "theirs", "mentee_slot": "elsewhere#di"}

    uow.mentorships.concurrently = another_admin_takes_the_same_slot
    proposal = proposals.propose(uow, history, "ada", "cy", "admin-1", days_ago(50))
    assert (proposal["mentor_slot"], uow.mentorships.docs["theirs"]["mentor_slot"]) == ("ada#1", "ada#0")
    assert [e["operation"] for e in uow.backfills.entries].count("mentorship.proposed") == 1
    assert uow.mentorships.types() == [ev.MENTORSHIP_PROPOSED.name]


def test_a_backfill_whose_audit_entry_cannot_be_written_is_not_written_either(org, uow):
    org.hire("cy", grade=4)
    program_id = org.program()

    def the_store_fails(entries):
        raise RuntimeError("the store went away")

    uow.backfills.record = the_store_fails
    with pytest.raises(RuntimeError):
        enrollments.enroll(uow, program_id, "cy", "mentee", days_ago(1))
    assert (uow.enrollments.get(program_id, "cy"), uow.enrollments.published) == (None, [])
