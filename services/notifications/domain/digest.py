"""The weekly manager digest: per report in an active mentorship, counts, percentages and dates only.

Rows name their report by id; the name is looked up when the digest is rendered, and a report who was
erased meanwhile is left out of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from services.notifications.domain.notices import WEEKLY_DIGEST, Notice, notification_id
from services.notifications.domain.rules import People, manager_of

WEEK = timedelta(days=7)


def iso_week(moment: datetime) -> str:
    """E.g. "2031-W03": the digest's occasion, so a week gets one digest however often the job runs."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def reports_by_manager(mentorships: Iterable[Mapping[str, Any]], people: People) -> dict[str, dict[str, dict]]:
    """manager -> report -> {"roles", "mentorships"} for everyone in an active mentorship."""
    found: dict[str, dict[str, dict]] = defaultdict(dict)
    for mentorship in mentorships:
        if mentorship.get("status") != "active":
            continue
        for role in ("mentee", "mentor"):
            report = mentorship[f"{role}_id"]
            manager = manager_of(people.get(report), people)
            if manager is None:
                continue
            entry = found[manager].setdefault(report, {"roles": set(), "mentorships": set()})
            entry["roles"].add(role)
            entry["mentorships"].add(mentorship["mentorship_id"])
    return found


def report_row(report_id: str, entry: Mapping[str, Any], sessions: Sequence[Mapping[str, Any]],
               goals: Sequence[Mapping[str, Any]], as_of: datetime) -> dict[str, Any]:
    """One report's line: sessions held (this week, in all), goal progress in %, the next session's date."""
    theirs = [s for s in sessions if s["mentorship_id"] in entry["mentorships"]]
    held = [s for s in theirs if s.get("status") == "completed" and s.get("completed_at") is not None]
    upcoming = sorted(s["scheduled_at"] for s in theirs
                      if s.get("status") == "scheduled" and s.get("scheduled_at") and s["scheduled_at"] > as_of)
    live = [g for g in goals if g.get("status") != "abandoned"]
    progress = sorted((int(g.get("progress") or 0) for g in live), reverse=True)
    return {"report_id": report_id, "roles": sorted(entry["roles"]),
            "sessions_held_this_week": sum(1 for s in held if as_of - WEEK < s["completed_at"] <= as_of),
            "sessions_held_total": len(held),
            "goals_total": len(live), "goals_completed": sum(1 for g in live if g.get("status") == "completed"),
            "goal_progress_pct": progress,
            "average_progress_pct": round(sum(progress) / len(progress)) if progress else None,
            "next_session": upcoming[0].isoformat() if upcoming else None}


def weekly_digests(mentorships: Iterable[Mapping[str, Any]], people: People,
                   sessions: Sequence[Mapping[str, Any]], goals: Sequence[Mapping[str, Any]], as_of: datetime,
                   digest_off: Iterable[str] = ()) -> list[Notice]:
    """One digest per manager and ISO week, unless the manager turned digests off."""
    week, off = iso_week(as_of), set(digest_off)
    goals_of: dict[str, list] = defaultdict(list)
    for goal in goals:
        goals_of[goal["employee_id"]].append(goal)
    notices = []
    for manager, reports in sorted(reports_by_manager(mentorships, people).items()):
        if manager in off:
            continue
        rows = [report_row(r, entry, sessions, goals_of[r], as_of) for r, entry in sorted(reports.items())]
        facts = {"week": week, "period_start": (as_of - WEEK).date().isoformat(),
                 "period_end": as_of.date().isoformat(), "reports": rows}
        notices.append(Notice(notification_id("digest", manager, week), manager, WEEKLY_DIGEST, facts))
    return notices
