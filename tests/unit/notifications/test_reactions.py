"""Events that call for notifications, as whole batches through the use cases, on in-memory fakes."""

from services.notifications.use_cases import reactions, tracking
from tests.unit.notifications.fakes import FakeHandoff, FakePeople, FakePreferences, FakeUnitOfWork

PEOPLE = {"mo": {"name": "Mo"}, "boss": {"name": "Bea"},
          **{f"e{i}": {"name": f"Mentee {i}", "manager_id": "boss"} for i in range(3)}}


def pair(i: int, status: str = "proposed", **extra) -> dict:
    return {"mentorship_id": f"m{i}", "program_id": "p1", "mentor_id": "mo", "mentee_id": f"e{i}", "status": status,
            "reasons": [], "created_at": "2031-01-01T00:00:00Z", "started_at": None, **extra}


def test_a_batch_of_proposals_introduces_every_pair_and_hands_them_to_this_process_after_the_commit():
    handoff = FakeHandoff()
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE), handoff=handoff)
    reactions.introduce_pairs(uow, [pair(0), pair(1), pair(2)])
    assert len(uow.notifications.docs) == 6 and handoff.batches == []  # nothing leaves before the commit
    uow.commit()
    [(claim, docs)] = handoff.batches
    assert len(docs) == 6 and all(d["claim"] == claim.token and d["due"] == claim.until for d in docs)
    assert uow.mentorships.by_id(["m0"])["m0"]["status"] == "proposed"


def test_the_same_occasion_again_creates_nothing_new():
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE))
    reactions.introduce_pairs(uow, [pair(0)])
    first = {k: dict(v) for k, v in uow.notifications.docs.items()}
    reactions.introduce_pairs(uow, [pair(0), pair(0)])
    assert uow.notifications.docs == first


def test_without_a_dispatcher_in_this_process_new_notifications_are_due_now_for_any_dispatcher():
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE))
    reactions.introduce_pairs(uow, [pair(0)])
    assert all("claim" not in d and d["due"] is not None for d in uow.notifications.docs.values())


def test_the_mentees_manager_is_told_of_each_start_and_preferences_choose_the_channels():
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE),
                         preferences=FakePreferences(boss={"email": False, "webhook_url": "https://hooks.example.com/b"}))
    reactions.tell_managers_of_starts(uow, [pair(0, "active", started_at="2031-01-02T00:00:00Z"), pair(1, "active")])
    docs = sorted(uow.notifications.docs.values(), key=lambda d: d["_id"])
    assert [d["_id"] for d in docs] == ["started:m0:boss", "started:m1:boss"]
    assert set(docs[0]["channels"]) == {"inbox", "webhook"} and docs[0]["channels"]["webhook"]["url"].endswith("/b")
    assert docs[0]["about"] == {"report": "e0", "mentor": "mo"} and docs[0]["facts"]["started_on"] == "2031-01-02"


def test_a_completed_goal_counts_the_goals_recorded_in_the_same_batch():
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE))
    goal = {"goal_id": "g1", "employee_id": "e0", "status": "active", "progress": 10, "version": 1,
            "updated_at": "2031-01-01T00:00:00Z"}
    tracking.record_goals(uow, [goal, {**goal, "goal_id": "g2"}])
    reactions.tell_managers_of_goals(uow, [{**goal, "status": "completed", "progress": 100, "version": 2}])
    [doc] = uow.notifications.docs.values()
    assert doc["recipient_id"] == "boss" and doc["facts"]["goals_completed"] == 1 and doc["facts"]["goals_total"] == 2


def test_an_erased_recipient_gets_nothing_new():
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE))
    uow.people.erase("e0", 2)
    reactions.introduce_pairs(uow, [pair(0)])
    assert [d["recipient_id"] for d in uow.notifications.docs.values()] == ["mo"]


def test_history_an_admin_backfilled_is_recorded_but_tells_nobody():
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE))
    reactions.introduce_pairs(uow, [pair(0, backfilled=True)])
    reactions.tell_managers_of_starts(uow, [pair(0, "active", started_at="2031-01-02T00:00:00Z", backfilled=True)])
    assert uow.notifications.docs == {} and uow.mentorships.by_id(["m0"])["m0"]["status"] == "active"


def test_a_notification_keeps_the_trace_of_the_event_that_called_for_it():
    uow = FakeUnitOfWork(people=FakePeople(**PEOPLE))
    trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    reactions.introduce_pairs(uow, [pair(0, traceparent=trace)])
    assert {d["traceparent"] for d in uow.notifications.docs.values()} == {trace}
