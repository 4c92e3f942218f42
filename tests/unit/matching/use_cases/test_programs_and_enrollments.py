"""Programs and enrollments on the fakes: validation, the roles a profile allows, re-enrolment, withdrawal."""

from __future__ import annotations

from datetime import date

import pytest

from services.matching.use_cases import enrollments, programs
from shared.errors import Conflict, Invalid, NotFound
from shared.events import catalog as ev


def test_a_program_gets_default_constraints_and_weights_and_is_announced(org, uow):
    program = programs.get_program(uow, org.program(weights={"skills": 2}, constraints={"max_grade_gap": 4}))
    assert program["constraints"] == {"exclude_reporting_line": True, "max_grade_gap": 4,
                                      "require_shared_language": False}
    assert program["weights"]["skills"] == 2 and program["weights"]["goals"] > 0
    assert uow.programs.types() == [ev.PROGRAM_CREATED.name]
    assert [p["program_id"] for p in programs.list_programs(uow, "Spring", limit=5, cursor=None)["items"]] == \
        [program["program_id"]]


@pytest.mark.parametrize("body", [{"starts_on": date(2025, 6, 1), "ends_on": date(2025, 1, 1)},
                                  {"weights": {c: 0 for c in ("skills", "goals", "seniority", "cross_department",
                                                              "language", "timezone")}}])
def test_a_program_that_ends_before_it_starts_or_weighs_nothing_is_invalid(org, body):
    with pytest.raises(Invalid):
        org.program(**body)


def test_an_unknown_program_is_not_found(uow):
    with pytest.raises(NotFound):
        programs.get_program(uow, "nope")


def test_only_people_matching_knows_still_employed_and_with_the_role_enroll(org, uow):
    program_id = org.program()
    org.hire("ann", roles=("mentee",))
    org.hire("gone", roles=("mentor",), status="terminated")
    with pytest.raises(NotFound):
        enrollments.enroll(uow, program_id, "ghost", "mentee")
    with pytest.raises(Conflict, match="left the company"):
        enrollments.enroll(uow, program_id, "gone", "mentor")
    with pytest.raises(Conflict, match="does not have the mentor role"):
        enrollments.enroll(uow, program_id, "ann", "mentor")


def test_enrolling_again_in_the_same_role_changes_nothing_another_role_is_a_conflict(org, uow):
    program_id = org.program()
    org.hire("ann", roles=("mentee", "mentor"))
    first, created = enrollments.enroll(uow, program_id, "ann", "mentee")
    again, created_again = enrollments.enroll(uow, program_id, "ann", "mentee")
    assert (created, created_again, again["enrolled_at"]) == (True, False, first["enrolled_at"])
    with pytest.raises(Conflict, match="already enrolled"):
        enrollments.enroll(uow, program_id, "ann", "mentor")
    assert uow.enrollments.types() == [ev.ENROLLMENT_CREATED.name]


def test_withdrawing_ends_the_pair_in_that_program_and_re_enrolling_is_the_next_version(org, uow, team):
    pair = org.pair(team, "ada", "cy")
    enrollments.withdraw(uow, team, "cy")
    assert uow.mentorships.get(pair["mentorship_id"])["end_reason"] == "withdrawn"
    assert uow.enrollments.get(team, "cy")["status"] == "withdrawn"
    enrollments.withdraw(uow, team, "cy")  # twice is fine
    again, created = enrollments.enroll(uow, team, "cy", "mentee")
    assert (created, again["version"], again["status"]) == (True, 3, "active")  # enrolled, withdrawn, enrolled
    assert uow.enrollments.types().count(ev.ENROLLMENT_WITHDRAWN.name) == 1


def test_an_enrolment_that_loses_to_a_concurrent_one_reads_again_and_reports_what_is_there(org, uow, team):
    enrollments.withdraw(uow, team, "cy")

    def the_person_enrolls_meanwhile(doc):
        doc.update(status="active", version=doc["version"] + 1)

    uow.enrollments.concurrently = the_person_enrolls_meanwhile
    enrollment, created = enrollments.enroll(uow, team, "cy", "mentee")
    assert (created, enrollment["status"], enrollment["version"]) == (False, "active", 3)


def test_listing_enrollments_filters_by_role_and_status(uow, team):
    listed = enrollments.list_enrollments(uow, team, role="mentor", status="active", limit=10, cursor=None)
    assert [e["employee_id"] for e in listed["items"]] == ["ada", "bo"]
    first = enrollments.list_enrollments(uow, team, role=None, status=None, limit=3, cursor=None)
    rest = enrollments.list_enrollments(uow, team, role=None, status=None, limit=3, cursor=first["next_cursor"])
    assert len(first["items"]) + len(rest["items"]) == 4 and rest["next_cursor"] is None
