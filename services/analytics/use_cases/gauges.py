"""Use case of the gauges job: keep the per-program business gauges in line with the built reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from services.analytics.domain.gauges import gauge_programs, gauge_values
from services.analytics.use_cases.ports import GaugeBoard, UnitOfWork
from shared.timeutil import utcnow


class ProgramGauges:
    """Shows the programs chosen by `gauge_programs` (a bounded label set) and drops those that left it."""

    def __init__(self, board: GaugeBoard, recent_days: int, max_programs: int,
                 clock: Callable[[], datetime] = utcnow):
        self._board, self._recent_days, self._max_programs, self._clock = board, recent_days, max_programs, clock
        self._shown: set[str] = set()

    def refresh(self, uow: UnitOfWork) -> None:
        today = self._clock().date()
        since = (today - timedelta(days=self._recent_days)).isoformat()
        reports = uow.reports.ending_since(since, ["program", "summary"])
        chosen = gauge_programs(reports, today, self._recent_days, self._max_programs)
        for report in chosen:
            self._board.show(report["_id"], gauge_values(report.get("summary") or {}))
        shown = {r["_id"] for r in chosen}
        for program_id in self._shown - shown:
            self._board.drop(program_id)
        self._shown = shown
