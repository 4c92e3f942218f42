"""Cursor pages stay one indexable filter, and a cursor is only ever a value."""

import pytest

from shared.errors import Invalid
from shared.pagination import after, encode_cursor


def test_the_cursor_joins_the_query_document_instead_of_wrapping_it():
    assert after({"program_id": "p1"}, "_id", "$gt", encode_cursor("m-7")) == {"program_id": "p1",
                                                                               "_id": {"$gt": "m-7"}}
    assert after({"_id": {"$in": ["a", "b"]}}, "_id", "$gt", encode_cursor("a")) == {"_id": {"$in": ["a", "b"],
                                                                                               "$gt": "a"}}
    assert after({"program_id": "p1"}, "_id", "$gt", None) == {"program_id": "p1"}


def test_a_cursor_that_decodes_to_anything_but_a_value_is_refused():
    for forged in ({"$ne": None}, ["a"], True, None):
        with pytest.raises(Invalid):
            after({}, "_id", "$gt", encode_cursor(forged))
