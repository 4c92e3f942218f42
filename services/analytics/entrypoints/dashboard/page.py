"""What the dashboard shows, shaped from a program report: headline cards, charts, tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from markupsafe import Markup

from services.analytics.entrypoints.dashboard.charts import bar_chart, share_bar

WIDE = 1080  # viewBox width of full-width charts: text keeps its size on a laptop screen


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def cards(s: Mapping[str, Any]) -> list[dict[str, str]]:
    """The headline numbers, each with a short explanation."""
    return [
        {"label": "Mentees enrolled", "value": number(s["enrolled_mentees"]),
         "note": f"{number(s['enrolled_mentors'])} mentors"},
        {"label": "Matched", "value": percent(s["match_rate"]),
         "note": f"{number(s['matched_mentees'])} mentees, median {number(s['median_hours_to_match'])} h to match"},
        {"label": "Active mentorships", "value": number(s["active_mentorships"]),
         "note": f"{number(s['ended_mentorships'])} ended"},
        {"label": "Sessions held", "value": number(s["sessions_completed"]),
         "note": f"{number(s['sessions_per_active_mentorship_per_month'], 2)} per mentorship-month"},
        {"label": "Goals completed", "value": percent(s["goal_completion_rate"]),
         "note": f"{number(s['goals_completed'])} of {number(s['goals_total'])}"},
        {"label": "Average rating", "value": number(s["average_feedback_rating"], 2),
         "note": f"{number(s['feedback_count'])} feedback entries, 1–5"},
        {"label": "Mentor utilization", "value": percent(s["mentor_utilization"]),
         "note": "assigned ÷ capacity"},
    ]


def week_label(period_start: str) -> str:
    return date.fromisoformat(period_start).strftime("%d %b")


def charts(report: Mapping[str, Any]) -> dict[str, Markup]:
    weekly = report["timeseries"]["week"]["sessions_completed"]
    s = report["summary"]
    ratings = report["rating_distribution"]
    return {
        "sessions": bar_chart("sessions-per-week", "Sessions completed per week",
                              [(week_label(p["period_start"]), p["value"]) for p in weekly], width=WIDE),
        "goals": share_bar("goal-completion", "Goal completion", s["goals_completed"], s["goals_total"],
                           "completed", "open or abandoned"),
        "ratings": bar_chart("feedback-distribution", "Feedback ratings",
                             [(f"{r} ★", ratings[str(r)]) for r in range(1, 6)]),
        "departments": bar_chart("department-sessions", "Sessions completed by department",
                                 [(i["group"], i["sessions_completed"]) for i in report["breakdown"]["department"]],
                                 width=WIDE),
    }


def page_model(report: Mapping[str, Any]) -> dict[str, Any]:
    program = report["program"]
    return {"program": program, "title": program.get("name") or program["program_id"], "as_of": report["as_of"],
            "cards": cards(report["summary"]), "charts": charts(report),
            "departments": report["breakdown"]["department"],
            "outcomes": report["outcomes"], "min_group_size": report["min_group_size"],
            "percent": percent, "number": number}
