"""Every index the notifications service needs, and every query it runs per request, handler or job.

`HOT_QUERIES` lists them with example values (collection, filter, sort); the store conformance test
checks by `explain` that each one uses an index, so none scans a collection that grows with history.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.notifications.adapters.notifications import NOTIFICATIONS, OUTBOX
from services.notifications.adapters.people import GOALS, PEOPLE
from services.notifications.adapters.preferences import PREFERENCES
from services.notifications.adapters.program import FEEDBACK, MENTORSHIPS, PROGRAMS, SESSIONS
from shared.mongo import IndexSpec, asc

NOW = datetime(2031, 1, 13, 9, 0, tzinfo=UTC)

INDEXES = [
    IndexSpec(NOTIFICATIONS, asc("due"), {"sparse": True}),  # finished notifications leave the index
    IndexSpec(NOTIFICATIONS, asc("recipient_id", "sort_key")),
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

IDS = {"$in": ["e1", "e2"]}
HOT_QUERIES = [
    # the dispatcher: claim a batch of due notifications, read back the claim, record
    (NOTIFICATIONS, {"due": {"$lte": NOW}}, [("due", 1)]),
    (NOTIFICATIONS, {"_id": IDS, "claim": "token"}, None),
    # the consumer and jobs: which notices are new
    (NOTIFICATIONS, {"_id": IDS}, None),
    # the inbox, unread first or not, and the delivery log
    (NOTIFICATIONS, {"recipient_id": "e1"}, [("sort_key", -1)]),
    (NOTIFICATIONS, {"recipient_id": "e1", "read_at": None}, [("sort_key", -1)]),
    (NOTIFICATIONS, {"kind": "introduction"}, [("sort_key", -1)]),
    # erasure
    (NOTIFICATIONS, {"names": "e1", "kind": "weekly_digest"}, None),
    (MENTORSHIPS, {"$or": [{"mentor_id": "e1"}, {"mentee_id": "e1"}]}, None),
    # what a message is rendered from
    (PEOPLE, {"_id": IDS}, None),
    (GOALS, {"_id": IDS}, None),
    (PROGRAMS, {"_id": IDS}, None),
    (PREFERENCES, {"_id": IDS}, None),
    (MENTORSHIPS, {"mentorship_id": IDS}, None),
    (SESSIONS, {"session_id": IDS}, None),
    (FEEDBACK, {"_id": IDS}, None),
    # the jobs
    (MENTORSHIPS, {"status": "active"}, None),
    (SESSIONS, {"mentorship_id": IDS}, None),
    (SESSIONS, {"status": "scheduled", "scheduled_at": {"$gt": NOW, "$lte": NOW}}, None),
    (PREFERENCES, {"digest": "off"}, None),
    # the outbox relay
    (OUTBOX, {}, [("at", 1)]),
]
