"""The lookups an identity provider makes before every push are index reads on the store under test."""

from __future__ import annotations

import json
import uuid

import pytest
from pymongo import MongoClient

from services.profiles.adapters.indexes import HOT_QUERIES, INDEXES, PEOPLE
from services.profiles.adapters.scim_query import users_filter
from services.profiles.domain.scim_filter import parse_filter
from services.profiles.domain.scim_search import plan
from shared.mongo import Store

LOOKUPS = ['userName eq "Yara@Example.com"', 'externalId eq "00u1"', 'emails.value eq "yara@example.com"', None]


@pytest.fixture(scope="module")
def db(infra):
    name = f"{infra.mongodb_db}_scim_indexes_{uuid.uuid4().hex[:8]}"
    store = Store(infra.mongodb_uri, name)
    store.ensure_indexes(INDEXES)
    people = [{"_id": f"E{n}", "email": f"p{n}@example.com", "department": "D"} for n in range(40)]
    for person in people[:20]:
        person["scim"] = {"user_name_key": person["email"], "external_id": f"00u{person['_id']}"}
    store.db[PEOPLE].insert_many(people)
    yield store.db
    MongoClient(infra.mongodb_uri).drop_database(name)


def lookup_filter(text: str | None) -> dict:
    return users_filter(plan(parse_filter(text)) if text else None)


@pytest.mark.parametrize("text", LOOKUPS)
def test_each_lookup_is_declared_hot_and_answered_from_an_index(db, text):
    where = lookup_filter(text)
    assert (PEOPLE, where, [("_id", 1)]) in HOT_QUERIES, where  # the conformance module checks it too
    plan_text = json.dumps(db[PEOPLE].find(where).sort("_id", 1).explain()["queryPlanner"]["winningPlan"], default=str)
    assert "IXSCAN" in plan_text and "COLLSCAN" not in plan_text, plan_text


def test_who_holds_a_user_name_is_an_index_read(db):
    assert (PEOPLE, {"scim.user_name_key": "yara@example.com"}, None) in HOT_QUERIES
    plan_text = json.dumps(db[PEOPLE].find({"scim.user_name_key": "p3@example.com"}).explain()["queryPlanner"],
                           default=str)
    assert "IXSCAN" in plan_text and "COLLSCAN" not in plan_text, plan_text
