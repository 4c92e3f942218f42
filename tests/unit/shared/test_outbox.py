"""Outbox bookkeeping and publish order, without a store."""

from shared import outbox
from shared.events import new_event


def goal_event(goal_id: str, progress: int):
    return new_event("mentoring.goal.progressed", {
        "goal_id": goal_id, "employee_id": "E1", "status": "active", "progress": progress, "version": progress,
        "updated_at": "2026-01-01T00:00:00Z"}, source="/tandem/profiles")


def test_events_ride_in_the_same_update_as_the_change():
    events = [goal_event("g1", 10), goal_event("g1", 20)]
    update = outbox.append({"$set": {"progress": 20}}, events)
    assert update["$set"] == {"progress": 20, outbox.PENDING: True}
    assert [e["id"] for e in update["$push"][outbox.OUTBOX]["$each"]] == [e.id for e in events]
    assert update["$inc"] == {outbox.REV: 1}


def test_no_events_leaves_the_update_untouched():
    assert outbox.append({"$set": {"a": 1}}, []) == {"$set": {"a": 1}}


def test_a_documents_events_keep_their_order_and_interleave_with_others_by_time():
    first = [goal_event("g1", p) for p in (10, 20, 30)]
    second = [goal_event("g2", p) for p in (5, 15)]
    docs = [("goals", outbox.stamp_new({"_id": "g2"}, second)), ("goals", outbox.stamp_new({"_id": "g1"}, first))]
    ordered = outbox.in_publish_order(docs)
    assert [e.id for e in ordered if e.data["goal_id"] == "g1"] == [e.id for e in first]
    assert [e.id for e in ordered if e.data["goal_id"] == "g2"] == [e.id for e in second]
    assert [e.time for e in ordered] == sorted(e.time for e in ordered)


def test_strip_hides_the_bookkeeping():
    doc = outbox.stamp_new({"_id": "x", "name": "Yara"}, [goal_event("g", 1)])
    assert outbox.strip(doc) == {"_id": "x", "name": "Yara"}


def test_clearing_removes_only_what_was_published_and_ends_pending_when_nothing_is_left():
    first, second = goal_event("g1", 10), goal_event("g1", 20)
    doc = outbox.stamp_new({"_id": "g1"}, [first, second])
    assert outbox.cleared(doc, {first.id}) == {"$set": {outbox.OUTBOX: [doc[outbox.OUTBOX][1]]}}
    assert outbox.cleared(doc, {first.id, second.id}) == {"$set": {outbox.OUTBOX: []},
                                                           "$unset": {outbox.PENDING: ""}}
    assert outbox.cleared(doc, {"another"}) is None  # none of its events went out: nothing to write
