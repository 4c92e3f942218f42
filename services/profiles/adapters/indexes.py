"""The profiles collections, their indexes, and every query a request or job runs on them.

`python -m shared.provision` creates INDEXES; the store conformance module runs each of HOT_QUERIES
with `explain` to prove it is served by an index (on SecantusDB or any MongoDB `MONGODB_URI` names).
"""

from __future__ import annotations

from shared import outbox
from shared.backfill_audit import audit_hot_queries, audit_indexes
from shared.mongo import IndexSpec, asc

PEOPLE, GOALS = "profiles_people", "profiles_goals"
BACKFILL_AUDIT = "profiles_backfill_audit"  # who backfilled which HR change or goal, written with the change
OUTBOX_COLLECTIONS = (PEOPLE, GOALS)

INDEXES = [  # the lists page by _id: each filter's index carries it, so a page is one index range
    IndexSpec(PEOPLE, asc("erased", "_id")),
    IndexSpec(PEOPLE, asc("department", "_id")),
    IndexSpec(PEOPLE, asc("manager_id", "_id")),
    IndexSpec(PEOPLE, asc("roles", "_id")),
    IndexSpec(PEOPLE, asc("skills.name", "_id")),
    IndexSpec(GOALS, asc("employee_id", "_id")),  # a person's goals, already in page order
    *audit_indexes(BACKFILL_AUDIT),
    *outbox.index_specs(OUTBOX_COLLECTIONS),
]

_LISTED = {"erased": None}  # living: a tombstone has erased: true, a rehire unsets it
_BY_ID = [("_id", 1)]

# (collection, filter with example values, sort or None)
HOT_QUERIES = [
    (PEOPLE, {"_id": "E1"}, None),  # read, and the walk up the management chain
    (PEOPLE, {"_id": "E1", "version": 3}, None),  # the conditional write of a PUT, PATCH or erasure
    (PEOPLE, {"_id": {"$in": ["E1", "E2", "E3"]}}, None),  # an import batch's current versions
    (PEOPLE, {"manager_id": {"$in": ["M1", "M2"]}}, None),  # a manager's reports, level by level
    (PEOPLE, _LISTED, _BY_ID),  # HR lists everyone
    (PEOPLE, {**_LISTED, "_id": {"$gt": "E1"}}, _BY_ID),  # ... the next page
    (PEOPLE, {"department": "Engineering"}, _BY_ID),  # narrowed lists: tombstones carry none of these
    (PEOPLE, {"department": "Engineering", "_id": {"$gt": "E1"}}, _BY_ID),
    (PEOPLE, {"manager_id": "M1"}, _BY_ID),
    (PEOPLE, {"roles": "mentor"}, _BY_ID),
    (PEOPLE, {"skills.name": "python"}, _BY_ID),
    (PEOPLE, {"_id": {"$in": ["E1", "E2"]}}, _BY_ID),  # a manager lists their reports
    (PEOPLE, {outbox.PENDING: True}, None),  # the outbox relay
    (GOALS, {"_id": "g1"}, None),
    (GOALS, {"_id": "g1", "version": 2}, None),
    (GOALS, {"employee_id": "E1"}, _BY_ID),  # a person's goals; erasure deletes the same set
    (GOALS, {outbox.PENDING: True}, None),
    *audit_hot_queries(BACKFILL_AUDIT),  # GET /v1/backfills and its pages; erasure's pseudonyms
]

# SCIM (adapters/scim_query.py shapes the lookups): a provider looks a person up before every push, so
# userName, externalId and emails.value are index reads; the partial indexes hold provisioned people only.
_PROVISIONED = {"scim.user_name_key": {"$gte": ""}}
INDEXES += [
    IndexSpec(PEOPLE, asc("scim.user_name_key"), {"unique": True, "sparse": True}),
    IndexSpec(PEOPLE, asc("scim.external_id"), {"partialFilterExpression": _PROVISIONED}),
    IndexSpec(PEOPLE, asc("email"), {"partialFilterExpression": _PROVISIONED}),
]
HOT_QUERIES += [
    (PEOPLE, {"scim.user_name_key": "yara@example.com"}, None),  # who holds a userName (every SCIM write)
    (PEOPLE, {"scim.user_name_key": "yara@example.com"}, _BY_ID),  # `userName eq`, before every push
    (PEOPLE, {"scim.external_id": "00u1", **_PROVISIONED}, _BY_ID),  # `externalId eq`
    (PEOPLE, {"email": "yara@example.com", **_PROVISIONED}, _BY_ID),  # `emails.value eq`
    (PEOPLE, _PROVISIONED, _BY_ID),  # every User, a page at a time
]
