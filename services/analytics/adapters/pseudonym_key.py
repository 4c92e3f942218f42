"""The configured pseudonym key against the stored facts: `analytics_settings` keeps only the key's
fingerprint, and facts made under another key (the random key older releases kept in that very
collection, or a key that was changed) are re-keyed when the worker starts.

Re-keying needs no old key: each person's own profile facts still say whose they are, so the new
pseudonym of every old one is known. Erased people's facts no longer say so; they keep their old
pseudonym, consistently across their facts, and with the old key deleted nobody can re-link them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from pymongo import UpdateOne
from pymongo.client_session import ClientSession
from pymongo.collection import Collection

from services.analytics.adapters.facts import ERASURES, PREFIX, SETTINGS
from services.analytics.domain import facts as f
from services.analytics.domain.pseudonyms import Pseudonyms, rekeyed
from shared.mongo import Store

log = logging.getLogger(__name__)

KEY_DOC, CHUNK = "pseudonym_key", 500
# Where pseudonyms are, per collection; the people's facts last, as they say who is who until the end.
PSEUDONYM_FIELDS = {PREFIX + f.ENROLLMENTS: ("person",), PREFIX + f.MENTORSHIPS: ("mentor", "mentee"),
                    PREFIX + f.SESSIONS: ("mentor", "mentee"), PREFIX + f.FEEDBACK: ("author",),
                    PREFIX + f.GOALS: ("person",), ERASURES: ("_id",), PREFIX + f.PEOPLE: ("person",)}


def settle(store: Store, pseudonyms: Pseudonyms) -> None:
    """Make the stored facts match the configured key; then the database keeps its fingerprint only."""
    settings = store.db[SETTINGS]
    kept = settings.find_one({"_id": KEY_DOC}) or {}
    if kept.get("fingerprint") == pseudonyms.fingerprint and "key" not in kept:
        return
    people = rekey(store, pseudonyms)
    settings.replace_one({"_id": KEY_DOC}, {"fingerprint": pseudonyms.fingerprint}, upsert=True)
    if "key" in kept:
        log.warning("deleted the pseudonym key stored in %s (the key is ANALYTICS_PSEUDONYM_KEY now); "
                    "re-keyed the facts of %d people", SETTINGS, people)
    elif kept:
        log.warning("ANALYTICS_PSEUDONYM_KEY changed: re-keyed the facts of %d people", people)


def rekey(store: Store, pseudonyms: Pseudonyms) -> int:
    """Move every fact to the pseudonyms of `pseudonyms`; returns how many people were renamed."""
    renamed = renames(store.db[PREFIX + f.PEOPLE], pseudonyms)
    if renamed:
        for name, fields in PSEUDONYM_FIELDS.items():
            _rekey_collection(store, store.db[name], fields, renamed)
    return len(renamed)


def renames(people: Collection, pseudonyms: Pseudonyms) -> dict[str, str]:
    """Old pseudonym -> new one, for everyone whose profile facts still hold their employee id."""
    found: dict[str, str] = {}
    for doc in people.find({"employee_id": {"$exists": True}}, {"person": 1, "employee_id": 1}):
        if pseudonyms(doc["employee_id"]) != doc["person"]:
            found[doc["person"]] = pseudonyms(doc["employee_id"])
    return found


def _rekey_collection(store: Store, coll: Collection, fields: Iterable[str], renamed: Mapping[str, str]) -> None:
    """Once only: a scan of the collection (a $in of everyone would be slower on SecantusDB), and the
    facts naming someone renamed rewritten in transactions of CHUNK facts."""
    docs = [d for d in coll.find() if any(d.get(name) in renamed for name in fields)]
    for start in range(0, len(docs), CHUNK):
        chunk = docs[start:start + CHUNK]
        with store.client.start_session() as session:
            session.with_transaction(lambda s, chunk=chunk: _replace(coll, chunk, fields, renamed, s))


def _replace(coll: Collection, docs: list[dict], fields: Iterable[str], renamed: Mapping[str, str],
             session: ClientSession) -> None:
    """Old documents out, re-keyed ones in; one the consumer already wrote under the new key stays."""
    coll.delete_many({"_id": {"$in": [d["_id"] for d in docs]}}, session=session)
    ops = [UpdateOne({"_id": new["_id"]}, {"$setOnInsert": {k: v for k, v in new.items() if k != "_id"}},
                     upsert=True) for new in (rekeyed(d, fields, renamed) for d in docs)]
    coll.bulk_write(ops, ordered=False, session=session)
