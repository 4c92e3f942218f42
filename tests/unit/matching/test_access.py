"""Who may act on or read a mentorship (DESIGN.md §4 role table, matching's part)."""

import pytest

from services.matching.domain import access
from shared.auth import Principal
from shared.errors import Forbidden

PAIR = {"mentorship_id": "m", "mentor_id": "mentor", "mentee_id": "mentee"}


def who(*roles: str, employee_id: str | None = None) -> Principal:
    return Principal(sub=employee_id or "svc", roles=frozenset(roles), employee_id=employee_id)


MENTOR, MENTEE = who("employee", employee_id="mentor"), who("employee", employee_id="mentee")
STRANGER, ADMIN, HR = who("employee", employee_id="x"), who("program_admin"), who("hr_admin")


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_only_the_mentor_or_an_admin_answers_a_proposal(action):
    access.check_act(MENTOR, PAIR, action)
    access.check_act(ADMIN, PAIR, action)
    for principal in (MENTEE, STRANGER, HR):
        with pytest.raises(Forbidden):
            access.check_act(principal, PAIR, action)


@pytest.mark.parametrize("action", ["end", "session"])
def test_either_member_or_an_admin_ends_or_runs_sessions(action):
    for principal in (MENTOR, MENTEE, ADMIN):
        access.check_act(principal, PAIR, action)
    for principal in (STRANGER, HR):
        with pytest.raises(Forbidden):
            access.check_act(principal, PAIR, action)


def test_admins_and_the_pair_read_a_mentorship_strangers_do_not():
    for principal in (MENTOR, MENTEE, ADMIN, HR):
        assert access.may_read_mentorship(principal, PAIR)
    assert not access.may_read_mentorship(STRANGER, PAIR)


def test_a_manager_reads_the_mentorships_of_their_reports_only():
    boss = who("manager", employee_id="boss")
    assert access.may_read_mentorship(boss, PAIR, {"mentee": ("lead", "boss"), "mentor": ()})
    assert not access.may_read_mentorship(boss, PAIR, {"mentee": ("lead",), "mentor": ("ceo",)})
    assert not access.may_read_mentorship(who("employee", employee_id="boss"), PAIR, {"mentee": ("boss",)})


def test_feedback_comes_from_the_pair_only_and_the_role_is_known():
    assert access.check_feedback_author(MENTOR, PAIR) == "mentor"
    assert access.check_feedback_author(MENTEE, PAIR) == "mentee"
    for principal in (ADMIN, STRANGER, HR):
        with pytest.raises(Forbidden):
            access.check_feedback_author(principal, PAIR)


def test_private_notes_and_comments_are_for_the_pair_not_admins():
    assert access.sees_private(MENTOR, PAIR) and access.sees_private(MENTEE, PAIR)
    assert not access.sees_private(ADMIN, PAIR) and not access.sees_private(HR, PAIR)


def test_a_mentee_may_propose_their_own_match_only():
    access.check_propose(MENTEE, "mentee")
    access.check_propose(ADMIN, "anyone")
    with pytest.raises(Forbidden):
        access.check_propose(MENTEE, "someone-else")
    with pytest.raises(Forbidden):
        access.check_propose(HR, "mentee")


def test_listing_mentorships():
    access.check_list_for(ADMIN, None)
    access.check_list_for(HR, "anyone")
    access.check_list_for(MENTEE, "mentee")
    access.check_list_for(who("manager", employee_id="boss"), "mentee", reports={"mentee"})
    for principal, employee_id in ((MENTEE, "mentor"), (MENTEE, None), (who("manager", employee_id="b"), "x")):
        with pytest.raises(Forbidden):
            access.check_list_for(principal, employee_id)


def test_reading_all_matching_data_needs_an_admin_role():
    access.check_reads_all(ADMIN)
    access.check_reads_all(HR)
    with pytest.raises(Forbidden):
        access.check_reads_all(who("manager", employee_id="boss"))
