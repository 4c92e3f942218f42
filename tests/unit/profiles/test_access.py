"""Who may read a profile: HR and program admins, the person, and managers up the chain."""

from services.profiles.domain.access import may_read, sees_goal_text
from shared.auth import Principal


def who(*roles, employee_id=None):
    return Principal(sub="s", roles=frozenset(roles), employee_id=employee_id)


def test_admins_read_everyone():
    assert may_read(who("hr_admin"), "E9", chain=[]) and may_read(who("program_admin"), "E9", chain=[])


def test_an_employee_reads_only_themselves():
    assert may_read(who("employee", employee_id="E1"), "E1", chain=["M1"])
    assert not may_read(who("employee", employee_id="E1"), "E2", chain=["M1"])


def test_a_manager_reads_direct_and_indirect_reports_only():
    boss = who("manager", "employee", employee_id="M2")
    assert may_read(boss, "E1", chain=["M1", "M2", "CEO"])
    assert not may_read(boss, "E7", chain=["M3", "CEO"])


def test_managers_follow_progress_but_do_not_read_goal_text():
    assert not sees_goal_text(who("manager", employee_id="M1"), "E1")
    assert sees_goal_text(who("employee", employee_id="E1"), "E1")
