"""The dashboard's charts and the at-risk table, each drawn from one part of the program report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from services.analytics.domain.times import day
from services.analytics.entrypoints.dashboard.charts import bar_chart, share_bar
from services.analytics.entrypoints.dashboard.comparison import Row, comparison_bars
from services.analytics.entrypoints.dashboard.format import day_of, percent, week_label
from services.analytics.entrypoints.dashboard.trend import line_chart, running_total

WIDE, THIRD = 1080, 400  # viewBox widths of full-width and one-third charts: text keeps its size on a laptop
LOAD = (("without_mentee", "no mentee"), ("with_room", "room for more"), ("full", "full"))
OUTCOME_MEASURES = (("Promoted", "promoted", "promotion_rate"), ("Left the company", "left", "attrition_rate"))


def weekly(report: Mapping[str, Any], metric: str) -> list[tuple[str, float]]:
    return [(week_label(p["period_start"]), p["value"]) for p in report["timeseries"]["week"][metric]]


def week_running(report: Mapping[str, Any]) -> bool:
    """Does the last week of the series end after the report's time (a week still in progress)?"""
    points = report["timeseries"]["week"]["sessions_completed"]
    return bool(points) and date.fromisoformat(points[-1]["period_start"]) + timedelta(days=7) > day(report["as_of"])


def charts(report: Mapping[str, Any]) -> dict[str, Markup]:
    s, ratings, load = report["summary"], report["rating_distribution"], report["mentor_load"]
    return {
        "sessions": bar_chart("sessions-per-week", "Sessions completed per week", weekly(report, "sessions_completed"),
                              width=WIDE, max_labels=14, last_so_far=week_running(report)),
        "goals": share_bar("goal-completion", "Goal completion", s["goals_completed"], s["goals_total"],
                           "completed", "open or abandoned"),
        "goals_over_time": line_chart("goals-completed-over-time", "Goals completed so far, by week",
                                      running_total(weekly(report, "goals_completed"))),
        "ratings": bar_chart("feedback-distribution", "Feedback ratings",
                             [(f"{r} ★", ratings[str(r)]) for r in range(1, 6)]),
        "waves": bar_chart("pairs-started-per-week", "Pairs started per week", weekly(report, "mentorships_started"),
                           width=THIRD, max_labels=4),
        "waits": bar_chart("time-to-match", "Mentees by time from enrollment to match",
                           [(w["waited"], w["mentees"]) for w in report["match_waits"]], width=THIRD),
        "load": bar_chart("mentor-load", "Mentors by pairs against their capacity",
                          [(label, load[key]) for key, label in LOAD], width=THIRD),
        "outcomes": comparison_bars("outcomes", "Promotion and attrition, participants against colleagues",
                                    outcome_rows(report["outcomes"]), width=WIDE),
        "departments": bar_chart("department-sessions", "Sessions completed by department",
                                 [(i["group"], i["sessions_completed"]) for i in report["breakdown"]["department"]],
                                 width=WIDE),
    }


def outcome_rows(outcomes: Mapping[str, Any]) -> list[Row]:
    """Each measure for participants and for their departments' other people; a small group shows its size only."""
    groups = (("Participants", outcomes["participants"]),
              ("Colleagues not in the program", outcomes["non_participants"]))
    rows = []
    for measure, count, rate in OUTCOME_MEASURES:
        for label, group in groups:
            named = f"{label} · {group['people']:,} people"
            if group["suppressed"]:
                rows.append((measure, named, None, f"fewer than {outcomes['min_group_size']} people: not shown"))
            else:
                rows.append((measure, named, group[rate], f"{percent(group[rate])} ({group[count]:,})"))
    return rows


def at_risk_rows(pairs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The at-risk table: who, since when, the last session, and why the pair is listed."""
    return [{"mentee": p["mentee_name"] or "–", "department": p["mentee_department"] or "–",
             "mentor": p["mentor_name"] or "–", "started": day_of(p["started_at"]),
             "last_session": day_of(p["last_session_at"]) if p["last_session_at"] else "none yet",
             "sessions": p["sessions_completed"], "signals": [signal_text(s) for s in p["signals"]]}
            for p in pairs]


def signal_text(signal: Mapping[str, Any]) -> str:
    if signal["signal"] == "no_session_for_days":
        return f"no session for {signal['days']} days"
    if signal["signal"] == "low_rating":
        return f"latest rating {signal['rating']} ★"
    count = len(signal["goal_ids"])
    return f"{count} goal{'s' if count != 1 else ''} unchanged for 30+ days"
