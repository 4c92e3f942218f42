"""apply_once against the real store: a redelivered event changes nothing."""

from pymongo import MongoClient

from shared.idempotency import apply_once


def test_the_same_event_applied_twice_counts_once(infra, uid):
    coll = MongoClient(infra.mongodb_uri)[infra.mongodb_db][f"t_apply_{uid}"]
    assert apply_once(coll, "p1", {"$inc": {"sessions": 1}}, "e1") is True  # creates the document
    assert apply_once(coll, "p1", {"$inc": {"sessions": 1}}, "e1") is False
    assert apply_once(coll, "p1", {"$inc": {"sessions": 1}}, "e2") is True
    assert apply_once(coll, "p1", {"$inc": {"sessions": 1}}, "e1") is False
    assert coll.find_one({"_id": "p1"})["sessions"] == 2
