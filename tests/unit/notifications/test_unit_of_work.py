"""The unit of work runs each deferred use case once per run of consecutive events, in order, and names the
event whose run failed (so the consumer can find the poison one event by event)."""

import pytest
from pymongo import MongoClient

from services.notifications.adapters.unit_of_work import NotificationsUnitOfWork
from shared.consumer import HandlerFailed
from shared.events import catalog as ev
from shared.events import new_event


@pytest.fixture
def uow():
    client = MongoClient("mongodb://127.0.0.1:1", connect=False, serverSelectionTimeoutMS=1)
    yield NotificationsUnitOfWork(client["unused"])  # nothing here talks to the store
    client.close()


def goal(employee_id: str, version: int = 1):
    return new_event(ev.GOAL_PROGRESSED, {"goal_id": f"g-{employee_id}", "employee_id": employee_id, "status": "active",
                                          "progress": 10, "version": version, "updated_at": "2031-01-01T00:00:00Z"},
                     source="/tandem/profiles")


def test_consecutive_events_of_one_kind_are_one_call_and_the_order_of_runs_is_kept(uow):
    calls = []

    def record(_, batch):
        calls.append(("record", [g["employee_id"] for g in batch]))

    def react(_, batch):
        calls.append(("react", [g["employee_id"] for g in batch]))

    for use_case, event in ((record, goal("a")), (record, goal("b")), (react, goal("a", 2)), (record, goal("a", 3))):
        uow.defer(use_case, event)
    uow.flush()
    assert calls == [("record", ["a", "b"]), ("react", ["a"]), ("record", ["a"])]


def test_a_failing_run_is_reported_against_its_first_event(uow):
    first = goal("a")

    def broken(_, batch):
        raise KeyError("name")

    uow.defer(broken, first)
    uow.defer(broken, goal("b"))
    with pytest.raises(HandlerFailed) as failed:
        uow.flush()
    assert failed.value.event is first and isinstance(failed.value.cause, KeyError)
