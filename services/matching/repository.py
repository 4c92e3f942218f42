"""Where the matching service keeps its data: collection names, indexes, and the repositories.

Every collection is this service's own (prefixed `matching_`); state changes that emit events
carry them in the same document (shared.outbox).
"""

from __future__ import annotations

from shared import outbox
from shared.mongo import IndexSpec, asc

PEOPLE, GOALS = "matching_people", "matching_goals"
PROGRAMS, ENROLLMENTS = "matching_programs", "matching_enrollments"
RUNS, RUN_RESULTS, RUN_INPUTS = "matching_runs", "matching_run_results", "matching_run_inputs"
MENTORSHIPS, SESSIONS, FEEDBACK = "matching_mentorships", "matching_sessions", "matching_feedback"
OUTBOX_COLLECTIONS = (PROGRAMS, ENROLLMENTS, RUNS, MENTORSHIPS, SESSIONS, FEEDBACK)

INDEXES = [
    IndexSpec(PEOPLE, asc("manager_id")),
    IndexSpec(GOALS, asc("employee_id")),
    IndexSpec(PROGRAMS, asc("name")),
    IndexSpec(ENROLLMENTS, asc("program_id", "role", "status")),
    IndexSpec(ENROLLMENTS, asc("employee_id", "status")),
    IndexSpec(RUNS, asc("status", "claimed_at")),
    IndexSpec(RUNS, asc("program_id", "status")),
    IndexSpec(RUNS, asc("program_lock"), {"unique": True}),  # one running run per program
    IndexSpec(RUN_RESULTS, asc("run_id")),
    IndexSpec(RUN_INPUTS, asc("run_id")),
    IndexSpec(MENTORSHIPS, asc("program_id", "status")),
    IndexSpec(MENTORSHIPS, asc("mentor_id", "status")),
    IndexSpec(MENTORSHIPS, asc("mentee_id", "status")),
    # capacity and one-open-pair-per-mentee, enforced by the store even under concurrent writers
    IndexSpec(MENTORSHIPS, asc("mentor_slot"), {"unique": True}),
    IndexSpec(MENTORSHIPS, asc("mentee_slot"), {"unique": True}),
    IndexSpec(SESSIONS, asc("mentorship_id")),
    IndexSpec(SESSIONS, asc("program_id", "status")),
    IndexSpec(FEEDBACK, asc("mentorship_id")),
    IndexSpec(FEEDBACK, asc("program_id")),
    IndexSpec(FEEDBACK, asc("author_id")),
    *outbox.index_specs(OUTBOX_COLLECTIONS),
]
