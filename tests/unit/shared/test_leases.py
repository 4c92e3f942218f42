"""Leases ask the store only when they must: a renewal per half lease, a retry after a while."""

from pymongo.errors import DuplicateKeyError

from shared.leases import Lease


class LeaseDocuments:
    """The leases collection as find_one_and_update(upsert=True) treats it, counting every write."""

    def __init__(self):
        self.docs, self.writes = {}, 0

    def find_one_and_update(self, filter, update, upsert):
        self.writes += 1
        doc = self.docs.get(filter["_id"])
        holder_ok, expired = filter["$or"][0], filter["$or"][1]["expires_at"]["$lt"]
        if doc is not None and doc["holder"] != holder_ok["holder"] and doc["expires_at"] >= expired:
            raise DuplicateKeyError("E11000")
        self.docs[filter["_id"]] = {"_id": filter["_id"], **update["$set"]}

    def delete_one(self, filter):
        if self.docs.get(filter["_id"], {}).get("holder") == filter["holder"]:
            del self.docs[filter["_id"]]


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_holder_renews_once_per_half_lease_not_on_every_tick():
    coll, clock = LeaseDocuments(), Clock()
    lease = Lease(coll, "outbox-relay", holder="a", ttl_seconds=10, clock=clock)
    ticks = []
    for step in range(40):  # 0.5 s ticks for 20 s
        clock.now = step * 0.5
        ticks.append(lease.acquire())
    assert all(ticks) and coll.writes == 4  # at 0, 5, 10 and 15 s


def test_a_replica_that_lost_asks_again_after_a_while_and_takes_over_once_released():
    coll, clock = LeaseDocuments(), Clock()
    first = Lease(coll, "job:digests", holder="a", ttl_seconds=9, clock=clock)
    second = Lease(coll, "job:digests", holder="b", ttl_seconds=9, clock=clock)
    assert first.acquire() and not second.acquire()
    writes = coll.writes
    clock.now = 1.0
    assert not second.acquire() and coll.writes == writes  # 3 s (a third of the lease) before it asks again
    first.release()
    clock.now = 3.5
    assert second.acquire() and coll.docs["job:digests"]["holder"] == "b"
