"""Unique indexes: a second insert of the same key is a duplicate-key error, alone or inside a bulk write."""

from __future__ import annotations

import pytest
from pymongo import InsertOne, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

DUPLICATE_KEY = 11000


def test_a_second_insert_of_an_id_is_a_duplicate_key_error(db):
    db.notices.insert_one({"_id": "intro:m1:e1"})
    with pytest.raises(DuplicateKeyError):
        db.notices.insert_one({"_id": "intro:m1:e1"})


def test_a_unique_secondary_index_refuses_a_second_document_with_that_key(db):
    db.enrollments.create_index([("program_id", 1), ("employee_id", 1)], unique=True)
    db.enrollments.insert_one({"program_id": "p1", "employee_id": "E1"})
    with pytest.raises(DuplicateKeyError):
        db.enrollments.insert_one({"program_id": "p1", "employee_id": "E1"})
    db.enrollments.insert_one({"program_id": "p2", "employee_id": "E1"})


def test_an_unordered_bulk_write_applies_the_good_rows_and_names_the_duplicates(db):
    db.people.insert_one({"_id": "E2"})
    with pytest.raises(BulkWriteError) as caught:
        db.people.bulk_write([InsertOne({"_id": "E1"}), InsertOne({"_id": "E2"}), InsertOne({"_id": "E3"}),
                              UpdateOne({"_id": "E1"}, {"$set": {"name": "Mia"}})], ordered=False)
    errors = caught.value.details["writeErrors"]
    assert [(e["index"], e["code"]) for e in errors] == [(1, DUPLICATE_KEY)]
    assert {d["_id"] for d in db.people.find()} == {"E1", "E2", "E3"}
    assert db.people.find_one({"_id": "E1"})["name"] == "Mia"


def test_a_conditional_update_that_matches_nothing_says_so_in_a_bulk_result(db):
    """Importers count a row as written only when its version check matched."""
    db.people.insert_many([{"_id": "E1", "version": 1}, {"_id": "E2", "version": 5}])
    result = db.people.bulk_write([UpdateOne({"_id": "E1", "version": 1}, {"$set": {"version": 2}}),
                                   UpdateOne({"_id": "E2", "version": 1}, {"$set": {"version": 2}})],
                                  ordered=False)
    assert (result.matched_count, result.modified_count) == (1, 1)
