"""Multi-document transactions: a consumer's change and its record of the processed event commit together."""

from __future__ import annotations

import pytest
from pymongo.errors import OperationFailure, PyMongoError


def test_a_committed_transaction_shows_all_its_writes(client, db):
    with client.start_session() as session, session.start_transaction():
        db.people.insert_one({"_id": "E1"}, session=session)
        db.processed.insert_one({"_id": "group:event-1"}, session=session)
        assert db.people.find_one({"_id": "E1"}, session=session) is not None  # reads its own writes
        assert db.people.find_one({"_id": "E1"}) is None  # others see nothing before the commit
    assert db.people.find_one({"_id": "E1"}) and db.processed.find_one({"_id": "group:event-1"})


def test_an_aborted_transaction_leaves_nothing(client, db):
    db.people.insert_one({"_id": "E1", "version": 1})
    with pytest.raises(RuntimeError), client.start_session() as session, session.start_transaction():
        db.people.update_one({"_id": "E1"}, {"$set": {"version": 2}}, session=session)
        db.processed.insert_one({"_id": "group:event-2"}, session=session)
        raise RuntimeError("the handler failed")
    assert db.people.find_one({"_id": "E1"})["version"] == 1
    assert db.processed.find_one({"_id": "group:event-2"}) is None


def test_two_transactions_writing_one_document_do_not_both_commit(client, db):
    db.people.insert_one({"_id": "E1", "version": 1})
    first, second = client.start_session(), client.start_session()
    first.start_transaction()
    second.start_transaction()
    db.people.update_one({"_id": "E1"}, {"$inc": {"version": 1}}, session=first)
    try:
        db.people.update_one({"_id": "E1"}, {"$inc": {"version": 1}}, session=second)
        second.commit_transaction()
        conflicted = None
    except PyMongoError as exc:
        conflicted = exc
        second.abort_transaction()
    try:
        first.commit_transaction()
    except OperationFailure as exc:  # the store may fail either side, but not neither
        assert conflicted is None and exc.has_error_label("TransientTransactionError")
        first.abort_transaction()
    else:
        assert conflicted is not None and conflicted.has_error_label("TransientTransactionError")
    first.end_session()
    second.end_session()
    assert db.people.find_one({"_id": "E1"})["version"] == 2


def test_with_transaction_retries_a_transient_conflict_until_it_commits(client, db):
    db.counts.insert_one({"_id": "c", "n": 0})
    with client.start_session() as session:
        session.with_transaction(lambda s: db.counts.update_one({"_id": "c"}, {"$inc": {"n": 1}}, session=s))
    assert db.counts.find_one({"_id": "c"})["n"] == 1
