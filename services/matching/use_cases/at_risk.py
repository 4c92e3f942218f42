"""The at-risk list: active pairs that need a program admin's attention, with up to 3 alternative mentors."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from services.matching.domain import at_risk
from services.matching.use_cases.pool import load_pool
from services.matching.use_cases.ports import Page, UnitOfWork
from services.matching.use_cases.programs import get_program
from services.matching.use_cases.suggestions import ranked
from shared.pagination import decode_cursor, encode_cursor
from shared.timeutil import to_rfc3339

ALTERNATIVES = 3


def at_risk_pairs(uow: UnitOfWork, program_id: str, as_of: datetime, limit: int, cursor: str | None) -> Page:
    """Active mentorships with at least one signal at `as_of`, by mentorship id, with alternatives."""
    program = get_program(uow, program_id)
    after = decode_cursor(cursor) if cursor else None
    remaining = [item for item in _flagged(uow, program, as_of) if after is None or item["mentorship_id"] > after]
    page, more = remaining[:limit], len(remaining) > limit
    if page:
        pool = load_pool(uow, program, [item["mentee_id"] for item in page])
        model = pool.model()
        for item in page:
            item["alternatives"] = (ranked(pool, item["mentee_id"], {item["mentor_id"]}, ALTERNATIVES, model)
                                    if item["mentee_id"] in pool.mentees else [])
    return {"items": page, "next_cursor": encode_cursor(page[-1]["mentorship_id"]) if more else None,
            "as_of": to_rfc3339(as_of)}


def _flagged(uow: UnitOfWork, program: Mapping[str, Any], as_of: datetime) -> list[dict[str, Any]]:
    active = sorted(uow.mentorships.active_in_program(program["program_id"]), key=lambda m: m["mentorship_id"])
    ids = [m["mentorship_id"] for m in active]
    sessions, ratings = uow.sessions.completed_times(ids), uow.feedback.ratings(ids)
    goals = uow.people.goals_of(m["mentee_id"] for m in active)
    flagged = []
    for m in active:
        history = at_risk.PairHistory(started_at=m["started_at"],
                                      completed_sessions_at=sessions.get(m["mentorship_id"], ()),
                                      ratings=ratings.get(m["mentorship_id"], ()),
                                      mentee_goals=goals.get(m["mentee_id"], ()))
        signals = at_risk.signals(history, program["checkin_every_days"], as_of)
        if signals:
            flagged.append({k: m[k] for k in ("mentorship_id", "mentor_id", "mentee_id", "started_at")}
                           | {"signals": signals})
    return flagged
