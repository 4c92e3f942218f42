"""The indexes analytics needs, and every query it runs per request, handler call or job (by example).

`context.prepare(INDEXES)` and `python -m shared.provision` create the indexes; the store conformance
tests check by `explain` that each hot query uses one.
"""

from __future__ import annotations

from services.analytics.adapters.facts import ERASURES, PREFIX
from services.analytics.adapters.reports import REPORTS
from services.analytics.domain import facts as f
from shared.mongo import IndexSpec, asc

INDEXES = [
    *(IndexSpec(PREFIX + kind, asc("program_id")) for kind in f.PROGRAM_SCOPED),
    IndexSpec(PREFIX + f.ENROLLMENTS, asc("person")),  # the programs a person takes part in
    IndexSpec(PREFIX + f.PEOPLE, asc("person", "version")),
    IndexSpec(PREFIX + f.PEOPLE, asc("department")),  # the comparison group of the outcomes
    IndexSpec(PREFIX + f.GOALS, asc("person")),
    IndexSpec(REPORTS, asc("outcomes.departments")),  # reports a colleague's change makes stale
    IndexSpec(REPORTS, asc("program.ends_on")),  # the programs that get gauges
]

PERSON, PROGRAM = "p-0123456789abcdef01234567", "prog-1"

HOT_QUERIES = [
    # the consumer, per batch: which of its facts are stored, erasures known for its people; an erasure
    # strips older versions
    *((PREFIX + kind, {"_id": {"$in": [f"{PROGRAM}:{PERSON}"]}}, None) for kind in f.KINDS),
    (ERASURES, {"_id": {"$in": [PERSON]}}, None),
    (PREFIX + f.PEOPLE, {"person": PERSON, "version": {"$lt": 3}}, None),
    # a report rebuild or a live report: the programs' facts, their people and goals, their colleagues
    (PREFIX + f.PROGRAMS, {"_id": {"$in": [PROGRAM]}}, None),
    *((PREFIX + kind, {"program_id": {"$in": [PROGRAM]}}, None) for kind in f.PROGRAM_SCOPED),
    (PREFIX + f.PEOPLE, {"person": {"$in": [PERSON]}}, None),
    (PREFIX + f.PEOPLE, {"department": {"$in": ["Engineering"]}}, None),
    (PREFIX + f.GOALS, {"person": {"$in": [PERSON]}}, None),
    # which reports a batch made stale
    (PREFIX + f.ENROLLMENTS, {"person": {"$in": [PERSON]}}, None),
    (REPORTS, {"outcomes.departments": {"$in": ["Engineering"]}}, None),
    # the API and the dashboard; the gauges job
    (REPORTS, {"_id": PROGRAM}, None),
    (REPORTS, {"program.ends_on": {"$gte": "2025-01-01"}}, None),
    (REPORTS, {"program.ends_on": None}, None),
]
