"""Where the matching service keeps its data: collection names, the indexes, and the queries they serve.

Every collection is this service's own (prefixed `matching_`); state changes that emit events carry
them in the same document (shared.outbox). Each query is shaped so that its filter fields are one
index's leading keys, equality first and at most one `$in` or range last, and never `$or` or `$and`:
MongoDB and SecantusDB then both answer it from the index (SecantusDB scans for anything else).
"""

from __future__ import annotations

from datetime import UTC, datetime

from shared import outbox
from shared.backfill_audit import audit_hot_queries, audit_indexes
from shared.mongo import IndexSpec, asc

PEOPLE, GOALS = "matching_people", "matching_goals"
PROGRAMS, ENROLLMENTS = "matching_programs", "matching_enrollments"
RUNS, RUN_RESULTS, RUN_INPUTS = "matching_runs", "matching_run_results", "matching_run_inputs"
MENTORSHIPS, SESSIONS, FEEDBACK = "matching_mentorships", "matching_sessions", "matching_feedback"
BACKFILL_AUDIT = "matching_backfill_audit"  # who backfilled which history, written with the change
OUTBOX_COLLECTIONS = (PROGRAMS, ENROLLMENTS, RUNS, MENTORSHIPS, SESSIONS, FEEDBACK)

INDEXES = [
    IndexSpec(PEOPLE, asc("manager_id")),
    IndexSpec(GOALS, asc("employee_id")),
    IndexSpec(PROGRAMS, asc("name")),
    IndexSpec(ENROLLMENTS, asc("program_id", "role", "status")),
    IndexSpec(ENROLLMENTS, asc("program_id", "status")),
    IndexSpec(ENROLLMENTS, asc("employee_id", "status")),
    IndexSpec(RUNS, asc("status", "claimed_by")),
    IndexSpec(RUNS, asc("status", "heartbeat_at")),
    IndexSpec(RUNS, asc("program_id", "status")),
    IndexSpec(RUNS, asc("program_lock"), {"unique": True}),  # one running run per program
    IndexSpec(RUN_RESULTS, asc("run_id")),
    IndexSpec(RUN_RESULTS, asc("mentee_id")),
    IndexSpec(RUN_INPUTS, asc("run_id")),
    IndexSpec(MENTORSHIPS, asc("program_id", "status", "mentee_id")),
    IndexSpec(MENTORSHIPS, asc("status", "mentor_id")),
    IndexSpec(MENTORSHIPS, asc("mentor_id", "status")),
    IndexSpec(MENTORSHIPS, asc("mentee_id", "status")),
    # capacity and one-open-pair-per-mentee, enforced by the store even under concurrent writers
    IndexSpec(MENTORSHIPS, asc("mentor_slot"), {"unique": True}),
    IndexSpec(MENTORSHIPS, asc("mentee_slot"), {"unique": True}),
    IndexSpec(SESSIONS, asc("mentorship_id", "status")),
    IndexSpec(SESSIONS, asc("status", "mentorship_id")),
    IndexSpec(FEEDBACK, asc("mentorship_id")),
    *audit_indexes(BACKFILL_AUDIT),
    *outbox.index_specs(OUTBOX_COLLECTIONS),
]

_AT = datetime(2025, 3, 1, tzinfo=UTC)
_OPEN = {"$in": ["proposed", "active"]}

# (collection, filter, sort): every query a request, handler or job runs per call, with example values.
# Look-ups by `_id` alone, and updates whose filter is `_id` plus a guard, use the `_id` index and are
# left out. Unfiltered listings (all programs, all mentorships) walk the `_id` index on MongoDB.
HOT_QUERIES = [
    (PEOPLE, {"manager_id": {"$in": ["e-1", "e-2"]}}, None),
    (GOALS, {"employee_id": {"$in": ["e-1", "e-2"]}}, None),
    (GOALS, {"employee_id": "e-1"}, None),
    (PROGRAMS, {"name": "Spring cohort"}, [("_id", 1)]),
    (ENROLLMENTS, {"program_id": "p-1", "role": "mentor", "status": "active"}, None),
    (ENROLLMENTS, {"employee_id": "e-1", "status": "active"}, None),
    (ENROLLMENTS, {"program_id": "p-1"}, [("_id", 1)]),
    (ENROLLMENTS, {"program_id": "p-1", "status": "active"}, [("_id", 1)]),
    (ENROLLMENTS, {"program_id": "p-1", "role": "mentee"}, [("_id", 1)]),
    (RUNS, {"status": "running", "claimed_by": None}, [("requested_at", 1)]),
    (RUNS, {"status": "running", "heartbeat_at": {"$lt": _AT}}, [("requested_at", 1)]),
    (RUNS, {"program_id": "p-1", "status": "running"}, None),
    (RUN_RESULTS, {"run_id": "r-1"}, [("_id", 1)]),
    (RUN_RESULTS, {"mentee_id": "e-1"}, None),
    (RUN_INPUTS, {"run_id": "r-1"}, [("_id", 1)]),
    (MENTORSHIPS, {"status": "active", "mentor_id": {"$in": ["e-1", "e-2"]}}, None),
    (MENTORSHIPS, {"program_id": "p-1", "status": _OPEN}, None),
    (MENTORSHIPS, {"program_id": "p-1", "status": "active"}, None),
    (MENTORSHIPS, {"program_id": "p-1", "status": "declined", "mentee_id": {"$in": ["e-1"]}}, None),
    (MENTORSHIPS, {"program_id": "p-1"}, [("_id", 1)]),
    (MENTORSHIPS, {"mentor_id": "e-1", "status": _OPEN}, None),
    (MENTORSHIPS, {"mentee_id": "e-1", "status": _OPEN}, None),
    (MENTORSHIPS, {"mentor_id": "e-1"}, None),
    (MENTORSHIPS, {"mentee_id": "e-1"}, None),
    (MENTORSHIPS, {"mentee_slot": {"$in": ["p-1#e-1", "p-1#e-2"]}}, None),
    (SESSIONS, {"mentorship_id": "m-1"}, [("_id", 1)]),
    (SESSIONS, {"mentorship_id": "m-1", "status": "scheduled"}, None),
    (SESSIONS, {"status": "completed", "mentorship_id": {"$in": ["m-1", "m-2"]}}, None),
    (SESSIONS, {"mentorship_id": {"$in": ["m-1", "m-2"]}}, None),
    (FEEDBACK, {"mentorship_id": "m-1"}, [("_id", 1)]),
    (FEEDBACK, {"mentorship_id": {"$in": ["m-1", "m-2"]}}, None),
    *audit_hot_queries(BACKFILL_AUDIT),
    *[(name, {outbox.PENDING: True}, None) for name in OUTBOX_COLLECTIONS],
]
