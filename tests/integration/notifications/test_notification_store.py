"""The notifications collection against the real store: batch claims are exclusive, outcomes are recorded
only under a live claim, with their events, in one transaction."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.notifications.adapters.notifications import OUTBOX, MongoNotifications
from services.notifications.domain import delivery
from services.notifications.use_cases.dispatch import outcome_event
from services.notifications.use_cases.ports import Claim, Outcome

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def db(infra, uid):
    client = MongoClient(infra.mongodb_uri, tz_aware=True)
    name = f"{infra.mongodb_db}_notes_{uid}"  # its own database: the running service's documents are not touched
    yield client[name]
    client.drop_database(name)
    client.close()


def due_now(n: int) -> list[dict]:
    return [{"_id": f"intro:m{i}:e{i}", "recipient_id": f"e{i}", "kind": "introduction", "program_id": None,
             "created_at": NOW, "sort_key": f"k{i}", "read_at": None, "due": NOW - timedelta(seconds=1),
             "channels": {"inbox": delivery.delivered_in_inbox(NOW), "email": delivery.pending(NOW)}}
            for i in range(n)]


def claim(seconds: int = 60) -> Claim:
    import uuid

    return Claim(uuid.uuid4().hex, NOW + timedelta(seconds=seconds))


def test_two_claimers_never_hold_the_same_notification(db):
    store = MongoNotifications(db)
    assert store.add(due_now(30)) == {f"intro:m{i}:e{i}" for i in range(30)}
    first, second = claim(), claim()
    mine = {d["_id"] for d in store.claim_due(NOW, first, 20)}
    theirs = {d["_id"] for d in store.claim_due(NOW, second, 20)}
    assert len(mine) == 20 and len(theirs) == 10 and not mine & theirs
    assert store.claim_due(NOW, claim(), 20) == []  # claimed notifications are due when their lease ends
    assert len(store.claim_due(NOW + timedelta(seconds=61), claim(), 50)) == 30  # ... when a claimer stopped


def test_concurrent_claimers_split_the_due_notifications_and_never_share_one(db):
    store = MongoNotifications(db)
    store.add(due_now(200))
    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(lambda _: [d["_id"] for d in MongoNotifications(db).claim_due(NOW, claim(), 80)],
                                range(4)))
    claimed = [i for batch in batches for i in batch]
    assert claimed and len(claimed) == len(set(claimed))
    assert len(claimed) + len(store.claim_due(NOW, claim(), 200)) == 200  # what nobody won is still due
    tokens = Counter(d["claim"] for d in db["notifications_notifications"].find({"_id": {"$in": claimed}}))
    assert sorted(tokens.values()) == sorted(len(b) for b in batches if b)


def test_an_outcome_is_recorded_only_under_its_claim_with_its_event(db):
    store = MongoNotifications(db)
    store.add(due_now(3))
    mine = claim()
    docs = store.claim_due(NOW, mine, 10)
    taken = docs[0]["_id"]
    db["notifications_notifications"].update_one({"_id": taken}, {"$set": {"claim": "someone-else"}})
    accepted = delivery.SendResult(True, "250")
    sent, _ = delivery.after_attempt(delivery.pending(NOW), accepted, NOW, delivery.RetryPolicy())
    outcomes = [Outcome(d["_id"], {**d["channels"], "email": sent}, None) for d in docs]
    events = [outcome_event(d, "email", sent) for d in docs]
    assert store.record(mine, outcomes, events) == {d["_id"] for d in docs[1:]}
    recorded = {d["_id"]: d for d in db["notifications_notifications"].find()}
    assert recorded[taken]["channels"]["email"]["status"] == "pending" and recorded[taken]["claim"] == "someone-else"
    for doc in docs[1:]:
        assert recorded[doc["_id"]]["channels"]["email"]["status"] == "delivered"
        assert "due" not in recorded[doc["_id"]] and "claim" not in recorded[doc["_id"]]
    [batch] = db[OUTBOX].find()
    assert sorted(e["data"]["notification_id"] for e in batch["_outbox"]) == sorted(d["_id"] for d in docs[1:])


def test_a_released_notification_is_due_again_at_once(db):
    store = MongoNotifications(db)
    store.add(due_now(2))
    held = claim()
    store.release(held, [d["_id"] for d in store.claim_due(NOW, held, 10)], NOW)
    assert len(store.claim_due(NOW, claim(), 10)) == 2
