"""Every index the notifications service needs, and every query it runs per request, handler or job.

`HOT_QUERIES` lists them with example values (collection, filter, sort); the store conformance test
checks by `explain` that each one uses an index, so none scans a collection that grows with history.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.notifications.adapters.notifications import NOTIFICATIONS, OUTBOX
from services.notifications.adapters.preferences import PREFERENCES
from services.notifications.adapters.program import MENTORSHIPS, SESSIONS
from shared.mongo import IndexSpec, asc

NOW = datetime(2031, 1, 13, 9, 0, tzinfo=UTC)

INDEXES = [
    IndexSpec(NOTIFICATIONS, asc("due"), {"sparse": True}),  # finished notifications leave the index
    IndexSpec(NOTIFICATIONS, asc("recipient_id", "sort_key")),
    IndexSpec(NOTIFICATIONS, asc("recipient_id", "read_at", "sort_key")),
    IndexSpec(NOTIFICATIONS, asc("kind", "sort_key")),
    IndexSpec(NOTIFICATIONS, asc("program_id", "sort_key")),
    IndexSpec(NOTIFICATIONS, asc("sort_key")),
    IndexSpec(NOTIFICATIONS, asc("names")),
    IndexSpec(OUTBOX, asc("at")),
    IndexSpec(MENTORSHIPS, asc("mentorship_id")),
    IndexSpec(MENTORSHIPS, asc("status")),
    IndexSpec(MENTORSHIPS, asc("mentor_id")),
    IndexSpec(MENTORSHIPS, asc("mentee_id")),
    IndexSpec(SESSIONS, asc("session_id")),
    IndexSpec(SESSIONS, asc("mentorship_id")),
    IndexSpec(SESSIONS, asc("scheduled_at")),
    IndexSpec(PREFERENCES, asc("digest")),
]

# Each query has the fields of one index's leading keys as its filter (equality first, at most one `$in`
# or range last, never `$or`): MongoDB and the local store both answer it from that index (the local
# store scans for anything else). Reads and writes by `_id` alone are left out; the delivery log's
# `status` filter, an admin's occasional search, walks the newest-first index and is left out too.
IDS = {"$in": ["e1", "e2"]}
HOT_QUERIES = [
    # the dispatcher: the earliest due notifications; claims and records then read and write by `_id`
    (NOTIFICATIONS, {"due": {"$lte": NOW}}, [("due", 1)]),
    # the inbox (all, or unread) and the delivery log
    (NOTIFICATIONS, {"recipient_id": "e1"}, [("sort_key", -1)]),
    (NOTIFICATIONS, {"recipient_id": "e1", "read_at": None}, [("sort_key", -1)]),
    (NOTIFICATIONS, {"recipient_id": "e1", "sort_key": {"$lt": "k"}}, [("sort_key", -1)]),  # the next page
    (NOTIFICATIONS, {"recipient_id": "e1", "read_at": None, "sort_key": {"$lt": "k"}}, [("sort_key", -1)]),
    (NOTIFICATIONS, {"sort_key": {"$lt": "k"}}, [("sort_key", -1)]),
    (NOTIFICATIONS, {"kind": "introduction"}, [("sort_key", -1)]),
    (NOTIFICATIONS, {"program_id": "p1"}, [("sort_key", -1)]),
    (NOTIFICATIONS, {}, [("sort_key", -1)]),
    # erasure
    (NOTIFICATIONS, {"recipient_id": "e1"}, None),
    (NOTIFICATIONS, {"names": "e1"}, None),
    (MENTORSHIPS, {"mentor_id": "e1"}, None),
    (MENTORSHIPS, {"mentee_id": "e1"}, None),
    # what handlers read, and what a message is rendered from
    (MENTORSHIPS, {"mentorship_id": IDS}, None),
    (SESSIONS, {"session_id": IDS}, None),
    # the jobs
    (MENTORSHIPS, {"status": "active"}, None),
    (SESSIONS, {"mentorship_id": IDS}, None),
    (SESSIONS, {"scheduled_at": {"$gt": NOW, "$lte": NOW}}, None),
    (PREFERENCES, {"digest": "off"}, None),
    # the outbox relay
    (OUTBOX, {}, [("at", 1)]),
]
