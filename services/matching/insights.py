"""Read-side use cases that score: ranked mentor suggestions and the at-risk list with alternatives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.domain import at_risk
from services.matching.domain.scoring import suggest
from services.matching.pool import ProgramPool, load_pool
from shared.errors import Conflict, NotFound
from shared.pagination import decode_cursor, encode_cursor
from shared.timeutil import to_rfc3339

ALTERNATIVES = 3


class InsightService:
    def __init__(self, repos: MatchingUnitOfWork):
        self.repos = repos

    def suggestions(self, program: Mapping[str, Any], mentee_id: str, limit: int) -> list[dict[str, Any]]:
        """Ranked eligible mentors with room left; mentors who declined this mentee here are left out."""
        enrollment = self.repos.enrollments.get(program["program_id"], mentee_id)
        if enrollment is None or enrollment["status"] != "active" or enrollment["role"] != "mentee":
            raise NotFound(f"{mentee_id} is not enrolled in this program as a mentee")
        pool = load_pool(self.repos, program, [mentee_id])
        if mentee_id not in pool.mentees:
            raise Conflict(f"{mentee_id} is no longer known to matching")
        return self._ranked(pool, mentee_id, set(), limit)

    def _ranked(self, pool: ProgramPool, mentee_id: str, excluded: set[str], limit: int,
                model=None) -> list[dict[str, Any]]:
        room = pool.room_without(excluded)  # declined mentors are ruled out by the mentee's hard constraints
        return [asdict(s) for s in suggest(model or pool.model(), pool.mentees[mentee_id], room, limit)]

    def at_risk(self, program: Mapping[str, Any], as_of: datetime, limit: int, cursor: str | None) -> dict[str, Any]:
        """Active mentorships with at least one signal, by mentorship id, each with alternative mentors."""
        flagged = self._flagged(program, as_of)
        after = decode_cursor(cursor) if cursor else None
        remaining = [item for item in flagged if after is None or item["mentorship_id"] > after]
        page, more = remaining[:limit], len(remaining) > limit
        if page:
            pool = load_pool(self.repos, program, [item["mentee_id"] for item in page])
            model = pool.model()
            for item in page:
                item["alternatives"] = (self._ranked(pool, item["mentee_id"], {item["mentor_id"]}, ALTERNATIVES,
                                                     model) if item["mentee_id"] in pool.mentees else [])
        return {"items": page, "next_cursor": encode_cursor(page[-1]["mentorship_id"]) if more else None,
                "as_of": to_rfc3339(as_of)}

    def _flagged(self, program: Mapping[str, Any], as_of: datetime) -> list[dict[str, Any]]:
        active = sorted(self.repos.mentorships.active_in_program(program["program_id"]),
                        key=lambda m: m["mentorship_id"])
        ids = [m["mentorship_id"] for m in active]
        sessions = self.repos.sessions.completed_times(ids)
        ratings = self.repos.feedback.ratings(ids)
        goals = self.repos.people.goals_of(m["mentee_id"] for m in active)
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
