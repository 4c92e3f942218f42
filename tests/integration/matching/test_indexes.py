"""Every query matching runs per request, handler or job is answered from an index of the store under test."""

from __future__ import annotations

import json
import uuid

import pytest
from pymongo import MongoClient

from services.matching.adapters.indexes import HOT_QUERIES, INDEXES
from shared.mongo import Store


@pytest.fixture(scope="module")
def db(infra):
    name = f"{infra.mongodb_db}_indexes_{uuid.uuid4().hex[:8]}"
    store = Store(infra.mongodb_uri, name)
    store.ensure_indexes(INDEXES)
    unique = {key for spec in INDEXES if spec.options.get("unique") for key, _ in spec.keys}
    for collection in {spec.collection for spec in INDEXES}:
        store.db[collection].insert_many([{"_id": f"{collection}-{n}", "status": "x", **dict.fromkeys(unique, f"u{n}")}
                                          for n in range(20)])
    yield store.db
    MongoClient(infra.mongodb_uri).drop_database(name)


def winning_plan(db, collection: str, query: dict, sort) -> str:
    cursor = db[collection].find(query)
    if sort:
        cursor = cursor.sort(sort)
    return json.dumps(cursor.explain()["queryPlanner"]["winningPlan"], default=str)


@pytest.mark.parametrize(("collection", "query", "sort"), HOT_QUERIES,
                         ids=[f"{c}:{sorted(q)}" for c, q, _ in HOT_QUERIES])
def test_each_hot_query_uses_an_index(db, collection, query, sort):
    plan = winning_plan(db, collection, query, sort)
    assert "IXSCAN" in plan and "COLLSCAN" not in plan, plan
