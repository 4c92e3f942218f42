"""Single-document atomicity under concurrency: what the outbox, leases, If-Match and version guards rely on."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from pymongo import ReturnDocument

THREADS, EACH = 8, 150


def in_parallel(job, count: int = THREADS) -> list:
    with ThreadPoolExecutor(count) as pool:
        return [f.result() for f in [pool.submit(job, n) for n in range(count)]]


def test_concurrent_increments_of_one_document_are_all_kept(db):
    db.counts.insert_one({"_id": "pair", "sessions": 0})

    def increment(_):
        for _ in range(EACH):
            db.counts.update_one({"_id": "pair"}, {"$inc": {"sessions": 1}})

    in_parallel(increment)
    assert db.counts.find_one({"_id": "pair"})["sessions"] == THREADS * EACH


def test_a_conditional_update_on_a_version_lets_exactly_one_writer_win_each_version(db):
    db.profiles.insert_one({"_id": "E1", "version": 1})
    wins: list[int] = []
    lock = threading.Lock()

    def compare_and_set(_):
        for _ in range(40):
            seen = db.profiles.find_one({"_id": "E1"})["version"]
            if db.profiles.update_one({"_id": "E1", "version": seen}, {"$set": {"version": seen + 1}}).modified_count:
                with lock:
                    wins.append(seen + 1)

    in_parallel(compare_and_set)
    final = db.profiles.find_one({"_id": "E1"})["version"]
    assert sorted(wins) == list(range(2, final + 1))  # every version won once, none twice, none lost


def test_find_one_and_update_claims_each_document_exactly_once(db):
    db.runs.insert_many([{"_id": f"r{n}", "status": "queued"} for n in range(60)])

    def claim(worker):
        mine = []
        while (run := db.runs.find_one_and_update({"status": "queued"}, {"$set": {"status": "running",
                                                                                    "by": worker}},
                                                   return_document=ReturnDocument.AFTER)) is not None:
            assert run["status"] == "running" and run["by"] == worker
            mine.append(run["_id"])
        return mine

    claimed = [run for mine in in_parallel(claim) for run in mine]
    assert sorted(claimed) == sorted(f"r{n}" for n in range(60))


def test_a_batch_claimed_with_update_many_goes_to_one_claimer_per_document(db):
    """The dispatcher's claim: mark a batch with a token in one update, then read back what carries it."""
    db.due.insert_many([{"_id": n, "claim": None} for n in range(300)])

    def claim(worker):
        mine = []
        for _ in range(20):
            ids = [d["_id"] for d in db.due.find({"claim": None}, {"_id": 1}).limit(25)]
            if not ids:
                break
            token = f"w{worker}-{len(mine)}"
            db.due.update_many({"_id": {"$in": ids}, "claim": None}, {"$set": {"claim": token}})
            mine += [d["_id"] for d in db.due.find({"claim": token}, {"_id": 1})]
        return mine

    claimed = [n for mine in in_parallel(claim) for n in mine]
    assert sorted(claimed) == list(range(300))
