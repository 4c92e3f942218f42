"""HR history with a past occurred_at on the in-memory ports: its times, its events, its audit, its refusals."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.profiles.domain import access
from services.profiles.use_cases import backfills, erasure, goals, people
from shared.backfill import Backfill
from shared.errors import Forbidden, Invalid
from shared.timeutil import parse_rfc3339, utcnow
from tests.unit.profiles.conftest import HR, body, who


def ago(days: float) -> datetime:
    """A moment `days` ago, with an offset as a migration file gives it."""
    return (utcnow() - timedelta(days=days)).astimezone(timezone(timedelta(hours=2)))


def at(days: float) -> Backfill:
    return Backfill(ago(days), "hris")


def same(moment: datetime, stored: str) -> bool:
    return moment == parse_rfc3339(stored)


def test_a_hire_backfilled_is_stored_announced_and_audited_at_its_moment(uow):
    hired = at(180)
    saved = people.put_profile(uow, "E1", body(), backfill=hired)
    assert saved.outcome == "created"
    assert same(hired.occurred_at, saved.profile["created_at"]) and same(hired.occurred_at, saved.profile["updated_at"])
    [event] = uow.people.outbox["E1"]
    assert event.data["backfilled"] is True and same(hired.occurred_at, event.data["updated_at"])
    assert parse_rfc3339(event.time) > utcnow() - timedelta(minutes=1)  # the CloudEvents time stays now
    [entry] = uow.backfills.entries
    assert {k: entry[k] for k in ("operation", "aggregate_id", "employee_ids", "by")} == {
        "operation": "profile.created", "aggregate_id": "E1", "employee_ids": ["E1"], "by": "hris"}
    assert same(hired.occurred_at, entry["occurred_at"]) and uow.commits == 1


def test_a_promotion_then_a_leaver_each_at_their_moment(uow):
    hired, left = at(180), at(10)
    people.put_profile(uow, "E1", body(), backfill=hired)
    people.put_profile(uow, "E1", body(grade=7, title="Senior"), backfill=at(90))
    saved = people.put_profile(uow, "E1", body(grade=7, title="Senior", employment_status="terminated"), backfill=left)
    assert (saved.profile["version"], saved.outcome) == (3, "updated")
    leaver = uow.people.outbox["E1"][-1]
    assert leaver.type == "mentoring.profile.updated" and leaver.data["employment_status"] == "terminated"
    assert leaver.data["backfilled"] is True and same(left.occurred_at, leaver.data["updated_at"])
    assert same(hired.occurred_at, saved.profile["created_at"]) and same(left.occurred_at, saved.profile["updated_at"])
    assert [e["operation"] for e in uow.backfills.entries] == ["profile.created", "profile.updated", "profile.updated"]


def test_a_change_before_the_persons_last_one_is_refused_and_writes_nothing(uow):
    people.put_profile(uow, "E1", body(), backfill=at(30))
    with pytest.raises(Invalid) as refused:
        people.put_profile(uow, "E1", body(grade=7), backfill=at(60))
    assert list(refused.value.errors) == ["occurred_at"]
    assert refused.value.errors["occurred_at"][0].startswith("must not be before the profile's last change (")
    assert uow.people.docs["E1"]["version"] == 1 and len(uow.people.outbox["E1"]) == 1
    assert len(uow.backfills.entries) == 1


def test_a_live_change_after_history_is_not_marked_and_history_cannot_precede_it(uow):
    people.put_profile(uow, "E1", body(), backfill=at(30))
    live = people.put_profile(uow, "E1", body(grade=7))
    assert "backfilled" not in uow.people.outbox["E1"][-1].data and len(uow.backfills.entries) == 1
    assert parse_rfc3339(live.profile["updated_at"]) > utcnow() - timedelta(minutes=1)
    with pytest.raises(Invalid):
        people.put_profile(uow, "E1", body(grade=8), backfill=at(1))


@pytest.mark.parametrize("moment", [timedelta(minutes=6), datetime(1999, 12, 31, 23, 59, tzinfo=UTC),
                                    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
                                    datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-1)))])
def test_a_moment_outside_the_window_is_refused_without_overflowing(uow, moment):
    if isinstance(moment, timedelta):  # ahead of the clock when the test runs, not when it was collected
        moment = utcnow() + moment
    with pytest.raises(Invalid) as refused:
        people.put_profile(uow, "E1", body(), backfill=Backfill(moment, "hris"))
    assert list(refused.value.errors) == ["occurred_at"] and uow.people.docs == {} and uow.backfills.entries == []


def test_re_sending_the_current_state_with_its_moment_changes_nothing(uow):
    people.put_profile(uow, "E1", body(), backfill=at(30))
    assert people.put_profile(uow, "E1", body(), backfill=at(60)).outcome == "unchanged"
    assert len(uow.backfills.entries) == 1 and len(uow.people.outbox["E1"]) == 1


def test_goals_set_and_moved_in_the_past_after_the_hire(uow):
    people.put_profile(uow, "E1", body(), backfill=at(180))
    with pytest.raises(Invalid, match="the profile's creation"):
        goals.set_goal(uow, HR, "E1", {"title": "Lead a team"}, at(200))
    set_at, halfway, done = at(170), at(100), at(60)
    goal = goals.set_goal(uow, HR, "E1", {"title": "Lead a team"}, set_at)
    assert same(set_at.occurred_at, goal["created_at"]) and same(set_at.occurred_at, goal["updated_at"])
    goals.progress_goal(uow, HR, goal["goal_id"], 50, None, halfway)
    with pytest.raises(Invalid, match="the goal's last change"):
        goals.progress_goal(uow, HR, goal["goal_id"], 70, None, at(120))
    completed = goals.progress_goal(uow, HR, goal["goal_id"], 100, None, done)
    assert completed["status"] == "completed" and same(done.occurred_at, completed["updated_at"])
    events = uow.goals.outbox[goal["goal_id"]]
    assert [e.type.rsplit(".", 1)[1] for e in events] == ["created", "progressed", "completed"]
    assert all(e.data["backfilled"] for e in events)
    moved = [same(b.occurred_at, e.data["updated_at"]) for b, e in zip((set_at, halfway, done), events, strict=True)]
    assert moved == [True] * 3
    assert [(e["operation"], e["aggregate_id"], e["employee_ids"]) for e in uow.backfills.entries[1:]] == [
        ("goal.created", goal["goal_id"], ["E1"]), ("goal.progressed", goal["goal_id"], ["E1"]),
        ("goal.completed", goal["goal_id"], ["E1"])]


def test_live_goal_writes_stay_unmarked_and_unaudited(uow):
    people.put_profile(uow, "E1", body())
    me = who("employee", employee_id="E1")
    goal = goals.set_goal(uow, me, "E1", {"title": "Grow"})
    goals.progress_goal(uow, me, goal["goal_id"], 40, None)
    assert all("backfilled" not in e.data for e in uow.goals.outbox[goal["goal_id"]]) and uow.backfills.entries == []


def test_only_hr_backfills():
    access.check_backfill(HR)
    for principal in (who("program_admin"), who("employee", employee_id="E1"), who("manager", employee_id="M1")):
        with pytest.raises(Forbidden):
            access.check_backfill(principal)


def test_the_audit_trail_pages_in_the_order_recorded(uow):
    for days, grade in ((90, 5), (60, 6), (30, 7)):
        people.put_profile(uow, "E1", body(grade=grade), backfill=at(days))
    first = backfills.list_backfills(uow, limit=2, cursor=None)
    second = backfills.list_backfills(uow, limit=2, cursor=first["next_cursor"])
    assert [e["operation"] for e in first["items"] + second["items"]] == ["profile.created"] + ["profile.updated"] * 2
    assert second["next_cursor"] is None


def test_erasure_pseudonymises_the_person_in_the_audit_trail(uow):
    people.put_profile(uow, "E1", body(), backfill=at(90))
    goals.set_goal(uow, HR, "E1", {"title": "Grow"}, at(80))
    people.put_profile(uow, "E2", body(), backfill=Backfill(ago(70), "E1"))  # E1 was in HR and recorded this
    erasure.erase_person(uow, "E1")
    trail = str(uow.backfills.entries)
    assert "'E1'" not in trail and "E2" in trail
    [hire, goal, other] = uow.backfills.entries
    assert hire["aggregate_id"] == hire["employee_ids"][0] == goal["employee_ids"][0] == other["by"]
    assert hire["aggregate_id"].startswith("erased-") and hire["operation"] == "profile.created"
