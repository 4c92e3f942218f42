"""Matching runs in Mongo: the run, its outcome rows and the profile versions it read.

A run document stays small: assignments and unmatched mentees live one per document in
`matching_run_results`, and the profile versions the run read live in chunks in
`matching_run_inputs`, so a 20,000-mentee run never nears the 16 MB document limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument, UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.matching.adapters.indexes import RUN_INPUTS, RUN_RESULTS, RUNS
from services.matching.use_cases.ports import Rewrite
from shared import outbox
from shared.events import Event

INPUT_CHUNK = 5000
WRITE_BATCH = 1000


def result_key(run_id: str, seq: int) -> str:
    return f"{run_id}:{seq:08d}"  # zero-padded so _id order is the run's order


class MongoRuns:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._runs, self._results, self._inputs = db[RUNS], db[RUN_RESULTS], db[RUN_INPUTS]
        self._session = session

    def insert(self, run: Mapping[str, Any]) -> bool:
        """False when the program already has a running run (its `program_lock` is taken); raised inside a
        transaction."""
        try:
            self._runs.insert_one(outbox.stamp_new({"_id": run["run_id"], **run}, []), session=self._session)
        except DuplicateKeyError:
            if self._session is not None:
                raise
            return False
        return True

    def get(self, run_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._runs.find_one({"_id": run_id}, session=self._session))

    def running_for(self, program_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._runs.find_one({"program_id": program_id, "status": "running"},
                                                      session=self._session))

    def claim(self, holder: str, now: datetime, stale_before: datetime) -> dict[str, Any] | None:
        """Take the oldest unclaimed run, else one whose executor stopped sending heartbeats (atomically:
        two executors never hold one run). Two indexed queries rather than one `$or`."""
        claim = {"$set": {"claimed_by": holder, "heartbeat_at": now}, "$inc": {"attempts": 1}}
        for query in ({"status": "running", "claimed_by": None},
                      {"status": "running", "heartbeat_at": {"$lt": stale_before}}):
            doc = self._runs.find_one_and_update(query, claim, sort=[("requested_at", 1)],
                                                 return_document=ReturnDocument.AFTER, session=self._session)
            if doc is not None:
                return outbox.strip(doc)
        return None

    def save(self, run_id: str, holder: str, changes: Mapping[str, Any], events: Sequence[Event] = ()) -> bool:
        """Update a run this executor still holds; False once another executor has taken it over."""
        ours = {"_id": run_id, "claimed_by": holder, "status": "running"}
        update = outbox.append({"$set": dict(changes)}, list(events))
        return self._runs.update_one(ours, update, session=self._session).matched_count == 1

    # -- results ---------------------------------------------------------------------------------
    def write_results(self, run_id: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Store the run's outcome rows; writing again after a crash first drops a partial earlier write."""
        self._results.delete_many({"run_id": run_id}, session=self._session)
        docs = [{"_id": result_key(run_id, seq), "run_id": run_id, "seq": seq, **row} for seq, row in enumerate(rows)]
        for start in range(0, len(docs), WRITE_BATCH):
            self._results.insert_many(docs[start:start + WRITE_BATCH], ordered=False, session=self._session)

    def results(self, run_id: str) -> list[dict[str, Any]]:
        return list(self._results.find({"run_id": run_id}, session=self._session).sort("_id", 1))

    def mark_results(self, run_id: str, seqs: Sequence[int], changes: Mapping[str, Any]) -> None:
        if seqs:
            self._results.update_many({"_id": {"$in": [result_key(run_id, s) for s in seqs]}},
                                      {"$set": dict(changes)}, session=self._session)

    def rewrite_reasons(self, mentee_id: str, rewrite: Rewrite) -> None:
        """Erasure: the reasons of the mentee's assignments in every run, rewritten."""
        rows = self._results.find({"mentee_id": mentee_id}, {"reasons": 1}, session=self._session)
        ops = [UpdateOne({"_id": row["_id"]}, {"$set": {"reasons": rewrite(list(row["reasons"]))}})
               for row in rows if row.get("reasons")]
        if ops:
            self._results.bulk_write(ops, ordered=False, session=self._session)

    # -- inputs (audit) --------------------------------------------------------------------------
    def write_inputs(self, run_id: str, versions: Mapping[str, int]) -> None:
        pairs = [{"employee_id": k, "version": v} for k, v in sorted(versions.items())]  # no nested arrays
        for n, start in enumerate(range(0, len(pairs), INPUT_CHUNK)):
            self._inputs.replace_one({"_id": f"{run_id}:{n:05d}"},
                                     {"run_id": run_id, "versions": pairs[start:start + INPUT_CHUNK]}, upsert=True,
                                     session=self._session)

    def inputs(self, run_id: str) -> dict[str, int]:
        return {pair["employee_id"]: pair["version"]
                for doc in self._inputs.find({"run_id": run_id}, session=self._session).sort("_id", 1)
                for pair in doc["versions"]}
